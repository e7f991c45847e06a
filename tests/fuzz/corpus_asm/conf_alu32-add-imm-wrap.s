mov32 %r0, 0xffffffff
add32 %r0, 2
exit
