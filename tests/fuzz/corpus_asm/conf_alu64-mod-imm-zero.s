mov %r0, -99
mod %r0, 0
exit
