# Loads from address 0, outside every region: a fault (bench prog must fail).
        mov %r3, 0
        ldxdw %r0, [%r3+0]
        exit
