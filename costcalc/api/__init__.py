"""The JSON API, the scenario format it shares with the `tco` command, and that command."""
