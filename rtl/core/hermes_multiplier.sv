// SPDX-License-Identifier: MIT
// eBPF mul, 32 and 64 bit: the low 64 bits of a_i * b_i in the clock after
// the start, so that no path between registers needs the 15 levels of a
// one-clock 64-bit multiply (docs/AREA.md). Pipelined: a start every
// clock is allowed.
//   start_i   latch the partial products and the width of a_i * b_i;
//   result_o  the product of the operands of the last start, from the
//             clock after it (held until the next start).
// The engine starts a mul as it leaves EX and takes the result in MEM
// (hermes_mem_stage), so independent instructions follow a mul without a
// bubble.
// 32-bit results are the low 32 bits zero-extended; the low 32 bits of a
// product depend only on the operands' low 32 bits, so both widths share
// the 64-bit datapath.
//
// Clock 1: a_i in chunks of 21, 26 and 17 bits, b_i in chunks of 17, 13,
// 17 and 17 bits: the 8 chunk products with bits below 2^64 then each fit
// one DSP48E2 (26 x 17 bits unsigned), and none is narrow enough (under 9
// bits) for yosys to build it from LUTs instead (24/17-bit chunks leave a
// 6 x 6 one, 5 levels from the ports). Each product is registered without
// a reset, so that a vendor tool packs the register into its DSP (yosys
// 0.23 leaves DSP48E2 registers in flip-flops: 222 of the area table's 224
// FF).
// Clock 2: the products in 6 rows (products that do not overlap share a
// row), a 6:3 counter per column, a 3:2 compressor and one carry-chain
// adder to result_o: 5 levels from the product registers, so that the
// engine can register the result after its own result multiplexer.
module hermes_multiplier (
  input  logic        clk_i,
  input  logic        start_i,
  input  logic        is64_i,
  input  logic [63:0] a_i,
  input  logic [63:0] b_i,
  output logic [63:0] result_o
);

  logic is64_q;

  // Partial products pIJ = a chunk I * b chunk J at its bit offset, each
  // cut to the bits it has below 2^64 (the low w bits of a product need
  // only the low w bits of each chunk). No reset: a DSP48E2's registers
  // have no asynchronous one, and these are read only after a start.
  logic [37:0] p00_q;
  logic [33:0] p01_q, p02_q;
  logic [16:0] p03_q, p20_q;
  logic [42:0] p10_q;
  logic [25:0] p11_q;
  logic [12:0] p12_q;

  always_ff @(posedge clk_i) begin
    if (start_i) begin
      is64_q <= is64_i;
      p00_q <= 38'(a_i[20:0])  * 38'(b_i[16:0]);   // at bit 0
      p01_q <= 34'(a_i[20:0])  * 34'(b_i[29:17]);  // 17
      p02_q <= 34'(a_i[20:0])  * 34'(b_i[46:30]);  // 30
      p03_q <= 17'(a_i[16:0])  * 17'(b_i[63:47]);  // 47
      p10_q <= 43'(a_i[46:21]) * 43'(b_i[16:0]);   // 21
      p11_q <= 26'(a_i[46:21]) * 26'(b_i[29:17]);  // 38
      p12_q <= 13'(a_i[33:21]) * 13'(b_i[42:30]);  // 51
      p20_q <= 17'(a_i[63:47]) * 17'(b_i[16:0]);   // 47
    end
  end

  // Six rows of 64 bits: at most six products overlap in a column (bits
  // 47-63); products that do not overlap share a row.
  logic [63:0] r0, r1, r2, r3, r4, r5;
  assign r0 = {p11_q, p00_q};
  assign r1 = {p12_q, p01_q, 17'b0};
  assign r2 = {p10_q, 21'b0};
  assign r3 = {p02_q, 30'b0};
  assign r4 = {p03_q, 47'b0};
  assign r5 = {p20_q, 47'b0};

  // A 6:3 counter per column (each output bit is one 6-input function),
  // written as two full adders and their sum in bitwise word operations,
  // so that no arithmetic cell (a carry chain) is inferred and the
  // simulator evaluates a few word operations, not 64 columns: c0 at
  // weight 1, c1 at 2, c2 at 4. keep: c1 and c2 stay one LUT each; merged
  // into the compressor below, yosys's mapping came out a level deeper
  // (measured: 5 levels, 213 LUTs without, 4 levels, 222 LUTs with).
  logic [63:0] s_lo, s_hi, c0;
  logic [62:0] k_lo, k_hi;
  (* keep *) logic [62:0] c1;
  (* keep *) logic [61:0] c2;
  assign s_lo = r0 ^ r1 ^ r2;
  assign s_hi = r3 ^ r4 ^ r5;
  assign k_lo = (r0[62:0] & r1[62:0]) | (r2[62:0] & (r0[62:0] ^ r1[62:0]));
  assign k_hi = (r3[62:0] & r4[62:0]) | (r5[62:0] & (r3[62:0] ^ r4[62:0]));
  assign c0   = s_lo ^ s_hi;
  // c1 and c2 only where they land below bit 64.
  assign c1   = k_lo ^ k_hi ^ (s_lo[62:0] & s_hi[62:0]);
  assign c2   = (k_lo[61:0] & k_hi[61:0]) | ((s_lo[61:0] & s_hi[61:0]) & (k_lo[61:0] ^ k_hi[61:0]));

  // 3:2 compressor of the counters' rows (bits above 63 dropped), then the
  // one carry-propagate add.
  logic [63:0] x, y, z, cs_s, cs_c, sum;
  assign x    = c0;
  assign y    = {c1, 1'b0};
  assign z    = {c2, 2'b0};
  assign cs_s = x ^ y ^ z;
  assign cs_c = {((x[62:0] & y[62:0]) | (z[62:0] & (x[62:0] ^ y[62:0]))), 1'b0};
  assign sum  = cs_s + cs_c;

  assign result_o = {is64_q ? sum[63:32] : 32'b0, sum[31:0]};

`ifndef SYNTHESIS
  // The result holds until the next start; 32-bit results are
  // zero-extended. (Checked from flip-flops of their own: before the first
  // start the product registers hold anything.)
  logic        started_q = 1'b0, held_q = 1'b0;
  logic [63:0] result_q;
  always_ff @(posedge clk_i) begin
    if (held_q) assert (result_o == result_q) else $error("hermes_multiplier: result changed without a start");
    if (started_q) assert (is64_q || result_o[63:32] == 32'b0) else $error("hermes_multiplier: 32-bit result not zero-extended");
    if (start_i) started_q <= 1'b1;
    held_q   <= started_q && !start_i;
    result_q <= result_o;
  end
`endif

endmodule
