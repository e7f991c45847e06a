// How xdma-fuse tells a clean end of its FUSE session from a failure
// (xdma-shim/session_end.h). The race that makes a read of /dev/fuse fail
// with ECONNABORTED (the kernel shuts the connection down while a worker
// takes a request) cannot be forced from a test, so the decision is tested
// here on descriptors whose poll state is known: a pipe's write end polls
// POLLERR once its read end is closed, as /dev/fuse does once its
// connection is gone.
#include <gtest/gtest.h>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <unistd.h>

extern "C" {
#include "session_end.h"
}

namespace {

struct Pipe {
	int fd[2] = { -1, -1 };
	Pipe() { EXPECT_EQ(pipe(fd), 0); }
	~Pipe()
	{
		for (int f : fd)
			if (f >= 0)
				close(f);
	}
	void close_read_end()
	{
		close(fd[0]);
		fd[0] = -1;
	}
};

TEST(SessionEnd, SignalsAndTheKernelsEndAreClean)
{
	Pipe live;
	EXPECT_EQ(shim_session_end_clean(0, live.fd[1]), 1);
	EXPECT_EQ(shim_session_end_clean(SIGTERM, live.fd[1]), 1);
	EXPECT_EQ(shim_session_end_clean(SIGINT, live.fd[1]), 1);
}

TEST(SessionEnd, ConnAbortedIsCleanOnlyOnceTheConnectionIsGone)
{
	Pipe p;
	EXPECT_EQ(shim_session_end_clean(-ECONNABORTED, p.fd[1]), 0) << "a live connection: a real failure";
	EXPECT_EQ(shim_session_end_clean(-ENODEV, p.fd[1]), 0);
	p.close_read_end();
	EXPECT_EQ(shim_session_end_clean(-ECONNABORTED, p.fd[1]), 1);
	EXPECT_EQ(shim_session_end_clean(-ENODEV, p.fd[1]), 1);
}

TEST(SessionEnd, OtherReadErrorsFailEvenOnAGoneConnection)
{
	Pipe p;
	p.close_read_end();
	for (int e : { EIO, EINVAL, ENOMEM, EPERM })
		EXPECT_EQ(shim_session_end_clean(-e, p.fd[1]), 0) << "errno " << e;
}

TEST(SessionEnd, AFuseDeviceWithoutAConnectionCountsAsGone)
{
	int fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		GTEST_SKIP() << "/dev/fuse cannot be opened here";
	EXPECT_EQ(shim_session_end_clean(-ECONNABORTED, fd), 1);
	close(fd);
}

} // namespace
