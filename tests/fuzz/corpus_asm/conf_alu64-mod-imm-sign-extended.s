mov %r0, 100
mod %r0, -1
exit
