lddw %r0, 0xffffffffffff1234
be16 %r0
exit
