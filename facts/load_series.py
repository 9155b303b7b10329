"""Load the monthly series: World Bank population, CBP encounters, OHSS Border Patrol, seizures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from facts.staging import (
    MONTHS,
    DataError,
    allowed,
    calendar_sql,
    check_fiscal_months,
    first_bad,
    no_duplicates,
    stage_csv,
)

NATIONWIDE_FILES = (  # oldest release first: a newer release replaces overlapping months
    "raw/cbp-nationwide-encounters/nationwide-encounters-fy20-fy23-state.csv",
    "raw/cbp-nationwide-encounters/nationwide-encounters-fy22-fy25-state.csv",
    "raw/cbp-nationwide-encounters/nationwide-encounters-fy23-fy26-nov-state.csv",
)
SW_BORDER_FILE = "raw/cbp-sw-border-encounters/sbo-encounters-fy22-fy25-aug.csv"
OHSS_FILE = "raw/dhs-ohss-usbp-encounters/KHSM Encounters (USBP) fy25m11.xlsx"
SEIZURE_FILES = (
    "raw/cbp-drug-seizures/nationwide-drugs-fy19-fy22.csv",
    "raw/cbp-drug-seizures/nationwide-drugs-fy23-fy26-apr.csv",
)
POPULATION_FILE = "raw/worldbank-population/population.csv"
REGION_SERIES = {
    "Southwest Land Border": "southwest",
    "Northern Land Border": "northern",
    "Other": "other-air-sea-interior",
}
COMPONENT_SERIES = {
    "U.S. Border Patrol": "usbp-southwest",
    "Office of Field Operations": "ofo-southwest",
}
# Citizenship as CBP labels it -> ISO3 (OTHER: every citizenship CBP does not list by name).
CITIZENSHIPS = {
    "BRAZIL": "BRA",
    "CANADA": "CAN",
    "CHINA, PEOPLES REPUBLIC OF": "CHN",
    "COLOMBIA": "COL",
    "CUBA": "CUB",
    "ECUADOR": "ECU",
    "EL SALVADOR": "SLV",
    "GUATEMALA": "GTM",
    "HAITI": "HTI",
    "HONDURAS": "HND",
    "INDIA": "IND",
    "MEXICO": "MEX",
    "MYANMAR (BURMA)": "MMR",
    "NICARAGUA": "NIC",
    "OTHER": "OTHER",
    "PERU": "PER",
    "PHILIPPINES": "PHL",
    "ROMANIA": "ROU",
    "RUSSIA": "RUS",
    "TURKEY": "TUR",
    "UKRAINE": "UKR",
    "VENEZUELA": "VEN",
}
SW_CITIZENSHIPS = {  # the Southwest border file groups all but four citizenships as Other
    "Mexico": "MEX",
    "Guatemala": "GTM",
    "Honduras": "HND",
    "El Salvador": "SLV",
    "Other": "OTHER",
}
CITIZENSHIP_SCHEMA = """
CREATE TABLE encounters_citizenship (
    series VARCHAR NOT NULL, year INTEGER NOT NULL, month INTEGER NOT NULL,
    citizenship VARCHAR NOT NULL, label VARCHAR NOT NULL, value BIGINT NOT NULL,
    source_id VARCHAR NOT NULL);
"""
# The first month of the unrounded CBP Southwest file; OHSS supplies Border Patrol months before.
SW_FILE_START = (2021, 10)


def load_population(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    stage_csv(con, data_dir, POPULATION_FILE, ["Country Code", "Year", "Value"])
    first_bad(con, POPULATION_FILE, "Year", "BIGINT")
    first_bad(con, POPULATION_FILE, "Value", "BIGINT")
    no_duplicates(con, POPULATION_FILE, ["Country Code", "Year"])
    con.execute(
        """INSERT INTO population SELECT "Country Code", CAST("Year" AS INTEGER),
           CAST("Value" AS BIGINT), 'worldbank-population' FROM staged"""
    )


def load_encounters(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    keys = [
        "Fiscal Year",
        "Month (abbv)",
        "Land Border Region",
        "State",
        "Demographic",
        "Citizenship",
        "Title of Authority",
    ]
    con.execute(
        "CREATE TEMP TABLE nationwide (release INTEGER, region VARCHAR, citizenship VARCHAR,"
        " year INTEGER, month INTEGER, n BIGINT)"
    )
    con.execute(CITIZENSHIP_SCHEMA)
    for release, rel in enumerate(NATIONWIDE_FILES):
        stage_csv(con, data_dir, rel, [*keys, "Encounter Count"])
        first_bad(con, rel, "Encounter Count", "BIGINT")
        check_fiscal_months(con, rel, "Fiscal Year", "Month (abbv)")
        allowed(con, rel, "Land Border Region", list(REGION_SERIES))
        allowed(con, rel, "Citizenship", list(CITIZENSHIPS))
        no_duplicates(con, rel, keys)
        con.execute(
            f"""INSERT INTO nationwide SELECT $2, "Land Border Region", "Citizenship",
                {calendar_sql("Fiscal Year", "Month (abbv)")},
                sum(CAST(replace("Encounter Count", ',', '') AS BIGINT))
                FROM staged GROUP BY ALL""",
            [list(MONTHS), release],
        )
    # A newer release replaces every month it covers (the overlaps are identical today).
    con.execute(
        """CREATE TEMP TABLE latest AS SELECT * FROM nationwide
           QUALIFY release = max(release) OVER (PARTITION BY year, month)"""
    )
    con.execute(
        """INSERT INTO encounters
           SELECT 'nationwide', year, month, sum(n), 'cbp-nationwide-encounters'
           FROM latest GROUP BY ALL
           UNION ALL
           SELECT $2[list_position($1, region)], year, month, sum(n), 'cbp-nationwide-encounters'
           FROM latest GROUP BY ALL""",
        [list(REGION_SERIES), list(REGION_SERIES.values())],
    )
    # By citizenship: the same rows, not summed over it (nationwide and by region).
    con.execute(
        """INSERT INTO encounters_citizenship
           SELECT 'nationwide', year, month, $4[list_position($3, citizenship)], citizenship,
                  sum(n), 'cbp-nationwide-encounters' FROM latest GROUP BY ALL
           UNION ALL
           SELECT $2[list_position($1, region)], year, month,
                  $4[list_position($3, citizenship)], citizenship, sum(n),
                  'cbp-nationwide-encounters' FROM latest GROUP BY ALL""",
        [
            list(REGION_SERIES),
            list(REGION_SERIES.values()),
            list(CITIZENSHIPS),
            list(CITIZENSHIPS.values()),
        ],
    )
    sw_keys = [
        "Fiscal Year",
        "Month (abbv)",
        "Component",
        "Demographic",
        "Citizenship Grouping",
        "Title of Authority",
        "Encounter Type",
    ]
    stage_csv(con, data_dir, SW_BORDER_FILE, [*sw_keys, "Encounter Count"])
    first_bad(con, SW_BORDER_FILE, "Encounter Count", "BIGINT")
    check_fiscal_months(con, SW_BORDER_FILE, "Fiscal Year", "Month (abbv)")
    allowed(con, SW_BORDER_FILE, "Component", list(COMPONENT_SERIES))
    allowed(con, SW_BORDER_FILE, "Citizenship Grouping", list(SW_CITIZENSHIPS))
    no_duplicates(con, SW_BORDER_FILE, sw_keys)
    con.execute(
        f"""INSERT INTO encounters SELECT $3[list_position($2, "Component")],
            {calendar_sql("Fiscal Year", "Month (abbv)")},
            sum(CAST(replace("Encounter Count", ',', '') AS BIGINT)), 'cbp-sw-border-encounters'
            FROM staged GROUP BY ALL""",
        [list(MONTHS), list(COMPONENT_SERIES), list(COMPONENT_SERIES.values())],
    )
    con.execute(
        f"""INSERT INTO encounters_citizenship SELECT $3[list_position($2, "Component")],
            {calendar_sql("Fiscal Year", "Month (abbv)")},
            $5[list_position($4, "Citizenship Grouping")], "Citizenship Grouping",
            sum(CAST(replace("Encounter Count", ',', '') AS BIGINT)), 'cbp-sw-border-encounters'
            FROM staged GROUP BY ALL""",
        [
            list(MONTHS),
            list(COMPONENT_SERIES),
            list(COMPONENT_SERIES.values()),
            list(SW_CITIZENSHIPS),
            list(SW_CITIZENSHIPS.values()),
        ],
    )


def ohss_usbp(data_dir: Path) -> list[dict[str, Any]]:
    import openpyxl  # imported here: only the build reads spreadsheets

    path = data_dir / OHSS_FILE
    if not path.exists():
        raise DataError(OHSS_FILE, None, "file is missing")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        sheet = book["Monthly Region"]
    except Exception as exc:  # openpyxl raises many kinds of error for a damaged workbook
        raise DataError(OHSS_FILE, None, f"cannot read sheet 'Monthly Region' ({exc})") from exc
    rows = []
    for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        fiscal, month_label, region, quantity = (tuple(values) + (None,) * 4)[:4]
        if region != "Southwest Land Border":
            continue
        if not isinstance(fiscal, int) or not isinstance(quantity, int):
            raise DataError(
                OHSS_FILE,
                number,
                f"Fiscal Year {fiscal!r} / Quantity {quantity!r} are not whole numbers",
            )
        abbr = str(month_label).split()[-1][:3].upper()
        if abbr not in MONTHS:
            raise DataError(OHSS_FILE, number, f"{month_label!r} is not a month")
        month = MONTHS.index(abbr) + 1
        year = fiscal - 1 if month >= 10 else fiscal
        if (year, month) < SW_FILE_START:
            rows.append(
                {
                    "series": "usbp-southwest",
                    "year": year,
                    "month": month,
                    "value": quantity,
                    "source_id": "dhs-ohss-usbp-encounters",
                }
            )
    book.close()
    return rows


def load_seizures(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    keys = [
        "FY",
        "Month (abbv)",
        "Component",
        "Region",
        "Land Filter",
        "Area of Responsibility",
        "Drug Type",
    ]
    for rel in SEIZURE_FILES:
        stage_csv(con, data_dir, rel, [*keys, "Count of Event", "Sum Qty (lbs)"])
        first_bad(con, rel, "Count of Event", "BIGINT")
        first_bad(con, rel, "Sum Qty (lbs)", "DECIMAL(38, 16)")
        check_fiscal_months(con, rel, "FY", "Month (abbv)")
        no_duplicates(con, rel, keys)
        con.execute(
            f"""INSERT INTO seizures_staged
               SELECT lower(trim(regexp_replace("Drug Type",
                          '\\s*(\\(.*\\)|\\*+|Drugs)\\s*', ' ', 'g'))),
                      "Region", "Component", {calendar_sql("FY", "Month (abbv)")},
                      CAST("Sum Qty (lbs)" AS DECIMAL(38, 16)),
                      CAST(replace("Count of Event", ',', '') AS BIGINT)
               FROM staged""",
            [list(MONTHS)],
        )
    con.execute(
        """INSERT INTO seizures
           SELECT drug, region, component, year, month, sum(pounds), sum(events),
                  'cbp-drug-seizures'
           FROM seizures_staged GROUP BY ALL"""
    )
