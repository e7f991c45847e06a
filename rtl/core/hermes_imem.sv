// SPDX-License-Identifier: MIT
// Engine instruction memory: WORDS 64-bit slots in two banks (even and odd
// slot indices), so that one synchronous read returns slot raddr_i and
// slot raddr_i + 1 together (an lddw decodes in one clock). Written once
// per run by the program copy, then read once per clock.
//   re_i     read enable; while low insn_o/insn2_o hold their value
//   insn_o   slot raddr (of the last enabled read), insn2_o slot raddr + 1
module hermes_imem #(
  parameter int unsigned WORDS = 8192,
  localparam int unsigned AW   = (WORDS > 2) ? $clog2(WORDS) : 2
) (
  input  logic          clk_i,
  input  logic          we_i,
  input  logic [AW-1:0] waddr_i,
  input  logic [63:0]   wdata_i,
  input  logic          re_i,
  input  logic [AW-1:0] raddr_i,
  output logic [63:0]   insn_o,
  output logic [63:0]   insn2_o
);

  localparam int unsigned BANK_DEPTH = 2 ** (AW - 1);

  logic [AW-1:0]   raddr_p1;
  logic [AW-2:0]   e_raddr, o_raddr;
  logic [63:0]     e_rdata, o_rdata;
  logic [7:0]      e_we, o_we;
  logic            odd_q;

  assign raddr_p1 = raddr_i + 1'b1;
  // The even slot of {raddr, raddr+1} is raddr+1 when raddr is odd.
  assign e_raddr  = raddr_p1[AW-1:1];
  assign o_raddr  = raddr_i[AW-1:1];
  assign e_we     = {8{we_i && !waddr_i[0]}};
  assign o_we     = {8{we_i && waddr_i[0]}};

  hermes_ram_sdp #(.WIDTH(64), .DEPTH(BANK_DEPTH)) u_even (
    .clk_i,
    .we_i    (e_we),
    .waddr_i (waddr_i[AW-1:1]),
    .wdata_i (wdata_i),
    .re_i    (re_i),
    .raddr_i (e_raddr),
    .rdata_o (e_rdata)
  );

  hermes_ram_sdp #(.WIDTH(64), .DEPTH(BANK_DEPTH)) u_odd (
    .clk_i,
    .we_i    (o_we),
    .waddr_i (waddr_i[AW-1:1]),
    .wdata_i (wdata_i),
    .re_i    (re_i),
    .raddr_i (o_raddr),
    .rdata_o (o_rdata)
  );

  always_ff @(posedge clk_i) begin
    if (re_i) odd_q <= raddr_i[0];
  end

  assign insn_o  = odd_q ? o_rdata : e_rdata;
  assign insn2_o = odd_q ? e_rdata : o_rdata;

  logic unused_p1;
  assign unused_p1 = raddr_p1[0];

endmodule
