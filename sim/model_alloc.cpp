// SPDX-License-Identifier: MIT
// Huge pages for the verilated model's state.
//
// The default card's model holds the slot memory (17 MiB), the queue region
// and the instruction memories in one object that Verilator allocates with
// operator new inside the model's constructor and then zeroes. On 4 KiB
// pages that zeroing is about 6,500 page faults, which cost more than the
// whole rest of a short `hermes run` (docs/BENCHMARKS.md, "Opening a
// simulated card"). glibc only backs malloc with transparent huge pages
// when the process was started with GLIBC_TUNABLES=glibc.malloc.hugetlb=1,
// and the allocation happens inside generated code, so this file replaces
// the global operator new/delete: inside a hermes_model_huge_scope, a
// request of at least HUGE_MIN bytes is served by an anonymous mapping
// advised MADV_HUGEPAGE; everything else goes to malloc as before. Blocks
// mapped here are remembered so operator delete can unmap them. The
// plain and aligned forms are replaced together, as both free with free().
//
// In libhermes.so these definitions stay local (libhermes.map exports only
// the C API), so they serve the library's own C++ and not its user's. In
// the static libraries they are weak: a program that replaces operator new
// itself keeps its own, and the model then simply lives on small pages.
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <new>

#include <sys/mman.h>

#include "model_alloc.h"

// LeakSanitizer finds leaks by scanning the heap and the globals for
// pointers, so a block it did not allocate must be named to it as a root, or
// everything the model points to from there looks leaked. Weak: present only
// in a sanitized program.
extern "C" void __lsan_register_root_region(const void *p, std::size_t size) __attribute__((weak));
extern "C" void __lsan_unregister_root_region(const void *p, std::size_t size) __attribute__((weak));

namespace {

constexpr std::size_t HUGE_PAGE = std::size_t(2) << 20;
constexpr std::size_t HUGE_MIN = std::size_t(4) << 20;
constexpr int MAX_BLOCKS = 32;

struct Block {
	void *addr;
	std::size_t len;
};

thread_local int huge_scope;
std::mutex blocks_lock;
Block blocks[MAX_BLOCKS];
std::atomic<int> live_blocks;

void *map_huge(std::size_t size)
{
	std::size_t len = (size + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	std::lock_guard<std::mutex> hold(blocks_lock);
	int slot = 0;

	while (slot < MAX_BLOCKS && blocks[slot].addr)
		slot++;
	if (slot == MAX_BLOCKS)
		return nullptr;
	// Over-map by a huge page so the block can start on a 2 MiB boundary,
	// where the kernel can back it with huge pages from the first byte.
	void *raw = mmap(nullptr, len + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		return nullptr;
	auto start = reinterpret_cast<std::uintptr_t>(raw);
	auto aligned = (start + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	std::size_t head = aligned - start; // < HUGE_PAGE, so a tail is always left over
	if (head)
		munmap(raw, head);
	munmap(reinterpret_cast<void *>(aligned + len), HUGE_PAGE - head);
	void *addr = reinterpret_cast<void *>(aligned);
	madvise(addr, len, MADV_HUGEPAGE); // advice only: without THP the block still works
	if (__lsan_register_root_region)
		__lsan_register_root_region(addr, len);
	blocks[slot] = {addr, len};
	live_blocks.fetch_add(1, std::memory_order_release);
	return addr;
}

bool unmap_huge(void *addr)
{
	if (!live_blocks.load(std::memory_order_acquire))
		return false;
	std::lock_guard<std::mutex> hold(blocks_lock);
	for (Block &b : blocks) {
		if (b.addr == addr) {
			if (__lsan_unregister_root_region)
				__lsan_unregister_root_region(b.addr, b.len);
			munmap(b.addr, b.len);
			b = {nullptr, 0};
			live_blocks.fetch_sub(1, std::memory_order_release);
			return true;
		}
	}
	return false;
}

} // namespace

void hermes_model_huge_begin()
{
	huge_scope++;
}

void hermes_model_huge_end()
{
	huge_scope--;
}

__attribute__((weak)) void *operator new(std::size_t size)
{
	if (huge_scope && size >= HUGE_MIN) {
		if (void *p = map_huge(size))
			return p;
	}
	if (void *p = std::malloc(size ? size : 1))
		return p;
	throw std::bad_alloc();
}

__attribute__((weak)) void operator delete(void *p) noexcept
{
	if (p && !unmap_huge(p))
		std::free(p);
}

__attribute__((weak)) void operator delete(void *p, std::size_t) noexcept
{
	operator delete(p);
}

// The model's classes are cache-line aligned, so C++17 allocates them
// through the aligned forms; a huge-page block is aligned to 2 MiB.
__attribute__((weak)) void *operator new(std::size_t size, std::align_val_t align)
{
	auto a = static_cast<std::size_t>(align);

	if (huge_scope && size >= HUGE_MIN && a <= HUGE_PAGE) {
		if (void *p = map_huge(size))
			return p;
	}
	if (a < sizeof(void *))
		a = sizeof(void *);
	void *p = nullptr;
	if (posix_memalign(&p, a, size ? size : 1) == 0)
		return p;
	throw std::bad_alloc();
}

__attribute__((weak)) void operator delete(void *p, std::align_val_t) noexcept
{
	operator delete(p);
}

__attribute__((weak)) void operator delete(void *p, std::size_t, std::align_val_t) noexcept
{
	operator delete(p);
}
