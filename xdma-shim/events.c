/* SPDX-License-Identifier: MIT */
/* events.c - user interrupt nodes of xdma-fuse: pending flags, waiting reads, poll (see events.h). */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>

#include "events.h"

struct reader {
	struct reader *next;
	fuse_req_t req;
	unsigned n;
};

struct shim_evfh {
	struct shim_evfh *next;
	unsigned n;
	struct fuse_pollhandle *ph; /* registered and not yet notified */
};

struct shim_events {
	pthread_mutex_t lock;
	unsigned count;
	uint32_t pending;
	struct reader *readers; /* oldest first */
	struct shim_evfh *handles;
	int nreaders, nph;
	void (*kick)(void *ctx);
	void *ctx;
};

int shim_events_new(unsigned count, void (*kick)(void *ctx), void *ctx, struct shim_events **evp)
{
	struct shim_events *ev = calloc(1, sizeof(*ev));

	if (!ev)
		return -ENOMEM;
	pthread_mutex_init(&ev->lock, NULL);
	ev->count = count;
	ev->kick = kick;
	ev->ctx = ctx;
	*evp = ev;
	return 0;
}

static void reply_value(fuse_req_t req)
{
	uint32_t one = 1;

	fuse_reply_buf(req, (const char *)&one, sizeof(one));
}

void shim_events_free(struct shim_events *ev)
{
	if (!ev)
		return;
	while (ev->readers) {
		struct reader *r = ev->readers;

		ev->readers = r->next;
		fuse_reply_err(r->req, ENODEV); /* the server is going away */
		free(r);
	}
	while (ev->handles) {
		struct shim_evfh *h = ev->handles;

		ev->handles = h->next;
		if (h->ph)
			fuse_pollhandle_destroy(h->ph);
		free(h);
	}
	pthread_mutex_destroy(&ev->lock);
	free(ev);
}

void shim_events_raise(struct shim_events *ev, uint32_t rising)
{
	pthread_mutex_lock(&ev->lock);
	ev->pending |= rising;
	/* One interrupt satisfies one waiting read, oldest first. */
	for (struct reader **pp = &ev->readers; *pp;) {
		struct reader *r = *pp;

		if (ev->pending & (1u << r->n)) {
			ev->pending &= ~(1u << r->n);
			*pp = r->next;
			ev->nreaders--;
			reply_value(r->req);
			free(r);
		} else {
			pp = &r->next;
		}
	}
	for (struct shim_evfh *h = ev->handles; h; h = h->next) {
		if (h->ph && (ev->pending & (1u << h->n))) {
			fuse_lowlevel_notify_poll(h->ph);
			fuse_pollhandle_destroy(h->ph);
			h->ph = NULL;
			ev->nph--;
		}
	}
	pthread_mutex_unlock(&ev->lock);
}

int shim_events_waiting(struct shim_events *ev)
{
	int n;

	pthread_mutex_lock(&ev->lock);
	n = ev->nreaders + ev->nph;
	pthread_mutex_unlock(&ev->lock);
	return n;
}

struct shim_evfh *shim_events_open(struct shim_events *ev, unsigned n)
{
	struct shim_evfh *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->n = n;
	pthread_mutex_lock(&ev->lock);
	h->next = ev->handles;
	ev->handles = h;
	pthread_mutex_unlock(&ev->lock);
	return h;
}

void shim_events_release(struct shim_events *ev, struct shim_evfh *h)
{
	pthread_mutex_lock(&ev->lock);
	for (struct shim_evfh **pp = &ev->handles; *pp; pp = &(*pp)->next) {
		if (*pp == h) {
			*pp = h->next;
			break;
		}
	}
	if (h->ph) {
		fuse_pollhandle_destroy(h->ph);
		ev->nph--;
	}
	pthread_mutex_unlock(&ev->lock);
	free(h);
}

/* A signal reached the reader: the driver answers EAGAIN. */
static void interrupted(fuse_req_t req, void *data)
{
	struct shim_events *ev = data;
	struct reader *found = NULL;

	pthread_mutex_lock(&ev->lock);
	for (struct reader **pp = &ev->readers; *pp; pp = &(*pp)->next) {
		if ((*pp)->req == req) {
			found = *pp;
			*pp = found->next;
			ev->nreaders--;
			break;
		}
	}
	pthread_mutex_unlock(&ev->lock);
	if (found) {
		fuse_reply_err(req, EAGAIN);
		free(found);
	}
}

void shim_events_read(struct shim_events *ev, struct shim_evfh *h, fuse_req_t req, size_t size, off_t off)
{
	struct reader *r, **tail;

	if (size != 4 || (off & 3)) {
		fuse_reply_err(req, EPROTO);
		return;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	r->req = req;
	r->n = h->n;
	/* Registered first: an interrupt that already happened calls back right here. */
	fuse_req_interrupt_func(req, interrupted, ev);
	pthread_mutex_lock(&ev->lock);
	if (ev->pending & (1u << h->n)) {
		ev->pending &= ~(1u << h->n);
		pthread_mutex_unlock(&ev->lock);
		free(r);
		reply_value(req);
		return;
	}
	if (fuse_req_interrupted(req)) {
		pthread_mutex_unlock(&ev->lock);
		free(r);
		fuse_reply_err(req, EAGAIN);
		return;
	}
	for (tail = &ev->readers; *tail; tail = &(*tail)->next)
		;
	*tail = r;
	ev->nreaders++;
	pthread_mutex_unlock(&ev->lock);
	ev->kick(ev->ctx);
}

void shim_events_poll(struct shim_events *ev, struct shim_evfh *h, fuse_req_t req, struct fuse_pollhandle *ph)
{
	unsigned revents = 0;
	int registered = 0;

	pthread_mutex_lock(&ev->lock);
	if (ev->pending & (1u << h->n)) {
		revents = POLLIN | POLLRDNORM;
		if (ph)
			fuse_pollhandle_destroy(ph);
	} else if (ph) {
		if (h->ph)
			fuse_pollhandle_destroy(h->ph);
		else
			ev->nph++;
		h->ph = ph;
		registered = 1;
	}
	pthread_mutex_unlock(&ev->lock);
	fuse_reply_poll(req, revents);
	if (registered)
		ev->kick(ev->ctx);
}
