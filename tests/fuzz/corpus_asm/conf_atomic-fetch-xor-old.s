lddw %r3, 0xff00ff00ff00ff0
lock fetch xor [%r1+0], %r3
mov %r0, %r3
exit
