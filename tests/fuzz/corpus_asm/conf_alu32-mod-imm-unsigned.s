mov32 %r0, 0xfffffffe
mod32 %r0, -1
exit
