#!/usr/bin/env bash
# agent_inotify.sh - agent_guard.sh with the inotify fallback forced
# (--watcher inotify): the same attacks must be undone without fanotify.
AGENT_WATCHER=inotify exec bash "$SW_SRC/tests/integration/agent_guard.sh"
