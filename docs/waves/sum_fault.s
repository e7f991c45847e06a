# docs/DEBUGGING.md's example: sums the input bytes into r0 and stores the
# sum after them, then reads a word one past the end of the data slot.
	mov %r0, 0
	mov %r3, %r1          # r3: cursor
	mov %r4, %r1
	add %r4, %r2          # r4: end of the input (r2 = its length)
loop:
	ldxb %r5, [%r3+0]
	add %r0, %r5
	add %r3, 1
	jne %r3, %r4, loop
	stxdw [%r4+0], %r0    # the sum, after the input
	lddw %r6, 0x20100000  # bug: the end of the 1 MiB data slot
	ldxdw %r7, [%r6+0]    # fault 1: load out of bounds
	exit
