stdw [%r10-8], -1
stdw [%r10-512], -1
lddw %r3, 0x30000ff8
stdw [%r3+0], -1
mov %r0, 1
exit
