// SPDX-License-Identifier: MIT
// eBPF register file r0-r10. r0-r5 and r10 are distributed (LUT) RAM with
// one write port and two asynchronous read ports; r6-r9, the registers a
// call saves and its exit restores, are flip-flops so that both happen in
// one clock: bank_o gives all four to the call stack, and restore_i loads
// all four from it (over a write to one of them in the same clock: the
// exit is younger than that write). A flip-flop copy of r0 is read by
// cmpxchg and at the end of a run without taking a port. The engine
// initialises every register through the write port at the start of a run.
// Entries 11-15 exist but are never written or used (the decoder rejects
// register numbers > 10).
module hermes_regfile (
  input  logic         clk_i,
  input  logic         rst_ni,
  input  logic         we_i,
  input  logic [3:0]   waddr_i,
  input  logic [63:0]  wdata_i,
  input  logic [3:0]   raddr_a_i,
  output logic [63:0]  rdata_a_o,
  input  logic [3:0]   raddr_b_i,
  output logic [63:0]  rdata_b_o,
  output logic [63:0]  r0_o,
  // r6-r9: {r9, r8, r7, r6}
  output logic [255:0] bank_o,
  input  logic         restore_i,
  input  logic [255:0] restore_data_i
);

  logic [63:0] mem [16];
  logic [63:0] bank_q [4];
  logic [63:0] r0_q;
  logic        w_bank;

  // r6-r9 live in bank_q[reg - 6].
  function automatic logic is_bank(input logic [3:0] r);
    is_bank = (r >= 4'd6) && (r <= 4'd9);
  endfunction

  assign w_bank = we_i && is_bank(waddr_i);

  always_ff @(posedge clk_i) begin
    if (we_i && !w_bank) mem[waddr_i] <= wdata_i;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int i = 0; i < 4; i++) bank_q[i] <= '0;
    end else if (restore_i) begin
      for (int i = 0; i < 4; i++) bank_q[i] <= restore_data_i[64*i +: 64];
    end else if (w_bank) begin
      bank_q[2'(waddr_i - 4'd6)] <= wdata_i;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)                      r0_q <= '0;
    else if (we_i && waddr_i == 4'd0) r0_q <= wdata_i;
  end

  assign rdata_a_o = is_bank(raddr_a_i) ? bank_q[2'(raddr_a_i - 4'd6)] : mem[raddr_a_i];
  assign rdata_b_o = is_bank(raddr_b_i) ? bank_q[2'(raddr_b_i - 4'd6)] : mem[raddr_b_i];
  assign r0_o      = r0_q;
  assign bank_o    = {bank_q[3], bank_q[2], bank_q[1], bank_q[0]};

endmodule
