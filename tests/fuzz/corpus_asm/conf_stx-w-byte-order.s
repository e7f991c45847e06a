mov32 %r3, 0x11223344
stxw [%r1+0], %r3
ldxb %r0, [%r1+0]
exit
