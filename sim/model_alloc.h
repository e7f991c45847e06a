// SPDX-License-Identifier: MIT
// model_alloc.h - huge pages for the verilated model (model_alloc.cpp).
//
// Between hermes_model_huge_begin() and hermes_model_huge_end() on a thread,
// operator new serves requests of 4 MiB and more from 2 MiB-aligned
// mappings advised MADV_HUGEPAGE, so constructing (and zeroing) the model's
// memories takes a few page faults instead of thousands. Scopes nest;
// operator delete frees such a block wherever it is called.
#ifndef HERMES_MODEL_ALLOC_H
#define HERMES_MODEL_ALLOC_H

void hermes_model_huge_begin();
void hermes_model_huge_end();

// Holds the scope for its lifetime.
struct hermes_model_huge_scope {
	hermes_model_huge_scope() { hermes_model_huge_begin(); }
	~hermes_model_huge_scope() { hermes_model_huge_end(); }
	hermes_model_huge_scope(const hermes_model_huge_scope &) = delete;
	hermes_model_huge_scope &operator=(const hermes_model_huge_scope &) = delete;
};

#endif
