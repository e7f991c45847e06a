lddw %r0, 0x80000000ffffffff
mov32 %r1, 10
mod32 %r0, %r1
exit
