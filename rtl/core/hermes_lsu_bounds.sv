// SPDX-License-Identifier: MIT
// The range of base registers for which a load, store or atomic is in
// bounds, per region, computed in ID from the instruction (off, size,
// store or not) and the program's length. The access at ea = base + off
// lies in region R exactly when base lies in [lo_R, hi_R], where lo_R and
// hi_R are the region's first and last allowed ea minus off: every ea
// bound is between 2**28 and 2**33 and |off| < 2**15, so neither the
// subtraction nor the 64-bit add of EX wraps. EX (hermes_lsu) then
// compares the base with registered bounds, with no add in front of the
// compare.
module hermes_lsu_bounds #(
  parameter int unsigned PROG_SLOT_BYTES = 32'h10000,
  parameter int unsigned DATA_SLOT_BYTES = 32'h100000,
  parameter int unsigned MAP_SLOT_BYTES  = 32'h40000
) (
  input  logic [15:0]                   off_i,
  input  logic [1:0]                    size_i,      // log2 bytes
  input  logic                          store_i,     // store or atomic
  input  logic [31:0]                   prog_len_i,  // code bytes
  output hermes_core_pkg::lsu_bounds_t  bounds_o
);

  // Each bound is the region's first allowed ea minus off (lo), or one
  // past its last byte minus the access's width and off (hi): the width
  // and the offset are added once for every region.
  logic [32:0] off, off_width;
  assign off       = {{17{off_i[15]}}, off_i};
  assign off_width = off + (33'd1 << size_i);

  function automatic logic [32:0] region_base(input logic [3:0] region);
    region_base = {1'b0, region, 28'b0};
  endfunction

  logic [32:0] prog_first, map_first;
  assign prog_first = region_base(hermes_core_pkg::REGION_PROG) +
                      (store_i ? {1'b0, prog_len_i} : 33'd0);
  assign map_first  = region_base(hermes_core_pkg::REGION_MAP) +
                      (store_i ? {5'b0, hermes_core_pkg::MAP_STORE_MIN} : 33'd0);

  assign bounds_o.prog_lo  = prog_first - off;
  assign bounds_o.prog_hi  = region_base(hermes_core_pkg::REGION_PROG) + 33'(PROG_SLOT_BYTES) - off_width;
  assign bounds_o.data_lo  = region_base(hermes_core_pkg::REGION_DATA) - off;
  assign bounds_o.data_hi  = region_base(hermes_core_pkg::REGION_DATA) + 33'(DATA_SLOT_BYTES) - off_width;
  assign bounds_o.stack_lo = region_base(hermes_core_pkg::REGION_STACK) - off;
  assign bounds_o.stack_hi = region_base(hermes_core_pkg::REGION_STACK) +
                             33'(hermes_core_pkg::STACK_BYTES) - off_width;
  assign bounds_o.map_lo   = map_first - off;
  assign bounds_o.map_hi   = region_base(hermes_core_pkg::REGION_MAP) + 33'(MAP_SLOT_BYTES) - off_width;

endmodule
