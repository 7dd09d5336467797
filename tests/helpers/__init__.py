"""What several test modules share, the Python and the browser tests alike: fixture cases, snapshots as the
extension sends them, the real host process, generated pages, simulated redesigns. Test modules import from
here, never from one another."""
