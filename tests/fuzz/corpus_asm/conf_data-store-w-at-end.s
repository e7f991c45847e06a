lddw %r3, 0x200ffffc
stw [%r3+0], 0x7eadbeef
ldxw %r0, [%r3+0]
exit
