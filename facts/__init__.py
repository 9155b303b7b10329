"""TradeFact's fact store and question answering (no Slack here)."""
