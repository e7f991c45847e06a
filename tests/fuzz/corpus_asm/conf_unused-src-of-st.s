.quad 0x000000090000f162
ldxw %r0, [%r1+0]
exit
