# r0 = sum of the r2 input bytes; every byte is replaced by byte ^ 0xa5.
        mov %r0, 0
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
