// SPDX-License-Identifier: MIT
// Engine address translation and bounds checks (combinational, execute
// stage). ea = base + off; the access is in bounds when all its bytes lie
// in one region (docs/ISA.md "Memory"; ID turns these into ranges of the
// base, hermes_lsu_bounds):
//   program 0x1000_0000  load anywhere in the slot, store/atomic only at
//                        offsets >= the program length
//   data    0x2000_0000  the whole data slot
//   stack   0x3000_0000  4 KiB, engine-local (stack_o, stack_off_o)
//   map     0x4000_0000  the map slot of the run's program slot: load
//                        anywhere, store/atomic only at offsets >= 0x9000
//                        (map storage; docs/MAPS.md)
// Program, data and map accesses become BAR4 addresses for the dmem port.
module hermes_lsu (
  input  logic [63:0] base_i,
  input  logic [15:0] off_i,
  input  hermes_core_pkg::lsu_bounds_t bounds_i,  // ID's (hermes_lsu_bounds)
  input  logic [31:0] prog_bar4_i,  // BAR4 address of the program slot
  input  logic [31:0] data_bar4_i,  // BAR4 address of the data slot
  input  logic [31:0] map_bar4_i,   // BAR4 address of the map slot
  output logic [63:0] ea_o,
  output logic        oob_o,
  output logic        stack_o,      // in the stack's bounds
  output logic [31:0] bar4_o,
  output logic [11:0] stack_off_o,
  output logic [11:0] stack_off_p8_o  // stack_off_o + 8: the next word's (hermes_stack)
);

  // In bounds: the base's high bits zero and its low 33 within one
  // region's pair of bounds, which ID computed from the offset, the size
  // and the program's length: compares of the base itself, no add before
  // them (the regions and limits are in hermes_lsu_bounds).
  // The high bits' zero test as a tree of two levels, its first level
  // kept: left to itself, ABC chains the 31-bit test one LUT after
  // another, beside the compares' carry chains.
  (* keep *) logic [5:0] hi_any;
  logic        base_hi_zero;
  logic [32:0] b;
  logic        prog_ok, data_ok, stack_ok, map_ok;
  for (genvar g = 0; g < 6; g++) begin : g_hi
    localparam int unsigned LO = 33 + 6 * g;
    localparam int unsigned HI = (LO + 5 > 63) ? 63 : LO + 5;
    assign hi_any[g] = |base_i[HI:LO];
  end
  assign base_hi_zero = !(|hi_any);
  assign b            = base_i[32:0];
  assign prog_ok  = b >= bounds_i.prog_lo  && b <= bounds_i.prog_hi;
  assign data_ok  = b >= bounds_i.data_lo  && b <= bounds_i.data_hi;
  assign stack_ok = b >= bounds_i.stack_lo && b <= bounds_i.stack_hi;
  assign map_ok   = b >= bounds_i.map_lo   && b <= bounds_i.map_hi;
  assign oob_o    = !(base_hi_zero && (prog_ok || data_ok || stack_ok || map_ok));
  assign stack_o  = base_hi_zero && stack_ok;

  // The address: ea for the address record and a fault's address; the
  // region of the low 32 bits' sum picks the slot's BAR4 base (only read
  // when the access is in bounds).
  logic [31:0] lo;
  logic [3:0]  region;
  logic [27:0] offs;
  assign lo     = base_i[31:0] + {{16{off_i[15]}}, off_i};
  assign ea_o   = base_i + {{48{off_i[15]}}, off_i};
  assign region = lo[31:28];
  assign offs   = lo[27:0];
  assign bar4_o = ((region == hermes_core_pkg::REGION_PROG) ? prog_bar4_i :
                   (region == hermes_core_pkg::REGION_MAP)  ? map_bar4_i : data_bar4_i) +
                  {4'b0, offs};
  assign stack_off_o = offs[11:0];
  // An add of its own beside lo's (off + 8 from the instruction alone),
  // so the stack's second word address does not wait for lo.
  assign stack_off_p8_o = base_i[11:0] + (off_i[11:0] + 12'd8);

endmodule
