"""What several test modules share: fixture cases, snapshots as the extension sends them, the real host
process, generated pages. Test modules import from here, never from one another."""
