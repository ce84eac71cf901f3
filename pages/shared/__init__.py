"""What every page uses: the session and sidebar, widget persistence, flash messages, charts."""
