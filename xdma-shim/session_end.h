/* SPDX-License-Identifier: MIT */
/*
 * session_end.h - how xdma-fuse's FUSE session ended: cleanly or not.
 *
 * libfuse's loop returns a positive signal number when SIGINT, SIGTERM or
 * SIGHUP ended it, 0 when the kernel ended the connection with ENODEV, and
 * a negative errno when a read of /dev/fuse failed otherwise. One such
 * failure is also a clean end: when the kernel shuts the connection down
 * (the detached mount's last user leaves, an admin aborts it) while a
 * worker thread is taking a request, that read fails with ECONNABORTED
 * instead of ENODEV (libfuse 3.14 treats only ENODEV as the end).
 */
#ifndef XDMA_SHIM_SESSION_END_H
#define XDMA_SHIM_SESSION_END_H

/*
 * 1 if LOOP_RET (fuse_session_loop or fuse_session_loop_mt) is a clean end
 * of the session, else 0. A negative -ENODEV or -ECONNABORTED is clean only
 * if FUSE_FD (the session's /dev/fuse descriptor, still open) reports the
 * connection gone (POLLERR): a read that failed on a live connection is an
 * error of the server.
 */
int shim_session_end_clean(int loop_ret, int fuse_fd);

#endif
