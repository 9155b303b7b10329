"""TradeFact's Slack app, command line and rendering."""
