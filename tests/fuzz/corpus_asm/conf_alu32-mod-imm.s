mov32 %r0, 100
mod32 %r0, 7
exit
