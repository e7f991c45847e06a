# Like xor_sum.s, but inputs shorter than 16 bytes fault: a load from
# address r2 (unmapped), cause 1 "load out of bounds" at pc 1.
        jge %r2, 16, ok
        ldxb %r0, [%r2+0]
ok:     mov %r0, 0
        mov %r3, 0
loop:   jge %r3, %r2, done
        mov %r4, %r1
        add %r4, %r3
        ldxb %r5, [%r4]
        add %r0, %r5
        xor %r5, 0xa5
        stxb [%r4], %r5
        add %r3, 1
        ja loop
done:   exit
