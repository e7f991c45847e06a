// SPDX-License-Identifier: MIT
// Engine address translation and bounds checks (combinational, execute
// stage). ea = base + off; the access is in bounds when all its bytes lie
// in one region (docs/ISA.md "Memory"):
//   program 0x1000_0000  load anywhere in the slot, store/atomic only at
//                        offsets >= the program length
//   data    0x2000_0000  the whole data slot
//   stack   0x3000_0000  4 KiB, engine-local (stack_o, stack_off_o)
//   map     0x4000_0000  the map slot of the run's program slot: load
//                        anywhere, store/atomic only at offsets >= 0x9000
//                        (map storage; docs/MAPS.md)
// Program, data and map accesses become BAR4 addresses for the dmem port.
module hermes_lsu #(
  parameter int unsigned PROG_SLOT_BYTES = 32'h10000,
  parameter int unsigned DATA_SLOT_BYTES = 32'h100000,
  parameter int unsigned MAP_SLOT_BYTES  = 32'h40000
) (
  input  logic [63:0] base_i,
  input  logic [15:0] off_i,
  input  logic [1:0]  size_i,       // log2 bytes
  input  logic        store_i,      // store or atomic
  input  logic [31:0] prog_len_i,   // code bytes
  input  logic [31:0] prog_bar4_i,  // BAR4 address of the program slot
  input  logic [31:0] data_bar4_i,  // BAR4 address of the data slot
  input  logic [31:0] map_bar4_i,   // BAR4 address of the map slot
  output logic [63:0] ea_o,
  output logic        oob_o,
  output logic        stack_o,
  output logic [31:0] bar4_o,
  output logic [11:0] stack_off_o,
  output logic [11:0] stack_off_p8_o  // stack_off_o + 8: the next word's (hermes_stack)
);

  // The bounds are checked on the low 32 bits of the sum, from one carry
  // chain, and the high half's "is zero" from the base's high half and
  // that chain's carry, so no check waits for the full 64-bit add:
  // with a non-negative offset ea[63:32] = base[63:32] + c32 is zero when
  // the base's high half is 0 and no carry, or all ones and a carry; with
  // a negative one ea[63:32] = base[63:32] - 1 + c32, zero when it is 1
  // and no carry, or 0 and a carry.
  logic [32:0] lo;
  logic [31:0] base_hi;
  logic        c32, hi_zero;
  logic [3:0]  region;
  logic [27:0] offs;
  logic        prog_ok, data_ok, stack_ok, map_ok;

  assign lo      = {1'b0, base_i[31:0]} + {1'b0, {16{off_i[15]}}, off_i};
  assign c32     = lo[32];
  assign base_hi = base_i[63:32];
  // (ea_o, for the address record and a fault's address, is an add of
  // its own: from lo's carry it would be two carry chains)
  assign ea_o    = base_i + {{48{off_i[15]}}, off_i};
  assign hi_zero = off_i[15] ? ((base_hi == 32'd1 && !c32) || (base_hi == 32'd0 && c32))
                             : ((base_hi == 32'd0 && !c32) || (base_hi == 32'hffff_ffff && c32));
  assign region  = lo[31:28];
  assign offs    = lo[27:0];

  // offs + 2^size <= LIMIT, as offs <= LIMIT - 2^size: one compare with a
  // constant chosen by the size (a register), no adder before it.
  function automatic logic fits(input logic [27:0] o, input logic [1:0] size, input logic [28:0] limit);
    logic [28:0] last_ok;
    last_ok = limit - (29'd1 << size);
    fits = {1'b0, o} <= last_ok;
  endfunction

  assign prog_ok  = hi_zero && region == hermes_core_pkg::REGION_PROG &&
                    fits(offs, size_i, 29'(PROG_SLOT_BYTES)) &&
                    (!store_i || {4'b0, offs} >= prog_len_i);
  assign data_ok  = hi_zero && region == hermes_core_pkg::REGION_DATA &&
                    fits(offs, size_i, 29'(DATA_SLOT_BYTES));
  assign stack_ok = hi_zero && region == hermes_core_pkg::REGION_STACK &&
                    fits(offs, size_i, 29'(hermes_core_pkg::STACK_BYTES));
  assign map_ok   = hi_zero && region == hermes_core_pkg::REGION_MAP &&
                    fits(offs, size_i, 29'(MAP_SLOT_BYTES)) &&
                    (!store_i || offs >= hermes_core_pkg::MAP_STORE_MIN);

  assign oob_o       = !(prog_ok || data_ok || stack_ok || map_ok);
  assign stack_o     = (region == hermes_core_pkg::REGION_STACK);
  assign bar4_o      = ((region == hermes_core_pkg::REGION_PROG) ? prog_bar4_i :
                        (region == hermes_core_pkg::REGION_MAP)  ? map_bar4_i : data_bar4_i) +
                       {4'b0, offs};
  assign stack_off_o = offs[11:0];
  // An add of its own beside lo's (off + 8 from the instruction alone),
  // so the stack's second word address does not wait for lo.
  assign stack_off_p8_o = base_i[11:0] + (off_i[11:0] + 12'd8);

endmodule
