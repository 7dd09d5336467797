"""The native-messaging host: `codec` frames bytes, `replies` shapes analysis replies, `dispatch` turns one
request into replies, `main` runs the process (stdin reader thread, asyncio loop, single stdout writer)."""
