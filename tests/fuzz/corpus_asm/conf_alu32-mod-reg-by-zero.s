lddw %r0, 0xffffffff00000064
mov %r1, 0
mod32 %r0, %r1
exit
