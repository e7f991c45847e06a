/* SPDX-License-Identifier: MIT */
/* grow.c - doubling arrays (grow.h). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"

int hermes__grow(void *arrp, size_t *cap, size_t n, size_t elem, size_t first)
{
	size_t ncap = *cap ? *cap * 2 : first;
	void *arr, *grown;

	if (n < *cap)
		return 0;
	if (ncap < *cap || ncap > SIZE_MAX / elem)
		return -ENOMEM;
	memcpy(&arr, arrp, sizeof(arr));
	grown = realloc(arr, ncap * elem);
	if (!grown)
		return -ENOMEM;
	memcpy(arrp, &grown, sizeof(grown));
	*cap = ncap;
	return 0;
}
