# Linux 6.18 verifier bug reproducer (see README.md): RFC 9669 result 2,
# the kernel returns 1. Runs as a socket filter; Hermes returns 2.
mov %r1, 7
smod %r1, -1                # 0; the verifier does not know it
mov %r7, 0xffff
stdw [%r10-40], 0
jsgt32 %r1, -1, +1          # taken at run time
mov %r7, 0
sub %r7, 3                  # 0xfffc (-3 on the other path)
stxdw [%r10-40], %r7
or32 %r1, 0x80000000
ja +0                       # two jumps: the verifier saves a state here
ja +0                       # and prunes the taken path against it
mov %r0, 0x5b5ed149
mov %r4, 3
lock cmpxchg [%r10-40], %r4 # r0 = 0xfffc (-3 on the other path)
mov %r2, 1
jset32 %r1, %r0, +1         # 0x80000000 & 0xfffc = 0: not taken
mov %r2, 2
mov %r0, %r2
exit
