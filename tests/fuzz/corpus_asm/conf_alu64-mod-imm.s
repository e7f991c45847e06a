mov %r0, 100
mod %r0, 7
exit
