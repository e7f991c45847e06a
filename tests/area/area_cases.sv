// SPDX-License-Identifier: MIT
// Small designs whose logic depth is known, for test_area.sh: each checks
// one rule of scripts/area_netlist.py (docs/AREA.md).

// A registered 64-bit adder: one LUT level, then one carry chain.
module area_add64 (
  input  logic        clk_i,
  input  logic [63:0] a_i,
  input  logic [63:0] b_i,
  output logic [63:0] sum_o
);
  logic [63:0] a_q, b_q;
  always_ff @(posedge clk_i) begin
    a_q   <= a_i;
    b_q   <= b_i;
    sum_o <= a_q + b_q;
  end
endmodule

// A registered 36-input AND: a tree of LUT6, two levels.
module area_and36 (
  input  logic        clk_i,
  input  logic [35:0] x_i,
  output logic        all_o
);
  logic [35:0] x_q;
  always_ff @(posedge clk_i) begin
    x_q   <= x_i;
    all_o <= &x_q;
  end
endmodule

// A LUT RAM read between registers: the read is one level.
module area_lutram (
  input  logic       clk_i,
  input  logic       we_i,
  input  logic [4:0] waddr_i,
  input  logic [4:0] raddr_i,
  input  logic [7:0] wdata_i,
  output logic [7:0] rdata_o
);
  logic [7:0] mem [32];
  logic [4:0] raddr_q;
  always_ff @(posedge clk_i) begin
    if (we_i) mem[waddr_i] <= wdata_i;
    raddr_q <= raddr_i;
    rdata_o <= mem[raddr_q];
  end
endmodule

// Ports to ports without a register: one LUT.
module area_comb (
  input  logic [2:0] x_i,
  output logic       y_o
);
  assign y_o = x_i[0] ^ (x_i[1] & x_i[2]);
endmodule

// A memory kept as a black box (macro=area_bigmem): 8192 x 144 bits is
// ceil(144/72) x ceil(8192/4096) = 4 URAM288; its output XORed into a
// register is one LUT level from the macro.
module area_bigmem #(
  parameter int unsigned DEPTH = 1024,
  localparam int unsigned AW = $clog2(DEPTH)
) (
  input  logic          clk_i,
  input  logic [AW-1:0] addr_i,
  output logic [143:0]  rdata_o
);
  logic [143:0] mem [DEPTH];
  always_ff @(posedge clk_i) rdata_o <= mem[addr_i];
endmodule

module area_macro (
  input  logic        clk_i,
  input  logic [12:0] addr_i,
  output logic        y_o
);
  logic [143:0] rdata;
  area_bigmem #(.DEPTH(8192)) u_mem (.clk_i, .addr_i, .rdata_o(rdata));
  always_ff @(posedge clk_i) y_o <= rdata[0] ^ rdata[143];
endmodule
