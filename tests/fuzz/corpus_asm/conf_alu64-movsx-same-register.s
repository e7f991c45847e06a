mov %r0, 0xff
movsx864 %r0, %r0
exit
