"""The native-messaging host: `codec` frames bytes, `dispatch` routes one request to its handler (`handlers/`),
`parts` splits long replies, `memory` is a Host's use of the deadline store, `worker` the analysis thread,
`main` runs the process (stdin reader thread, main thread scheduling requests, single stdout writer)."""
