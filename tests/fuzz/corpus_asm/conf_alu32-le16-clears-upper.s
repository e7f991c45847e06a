lddw %r0, 0xffffffffffff1234
le16 %r0
exit
