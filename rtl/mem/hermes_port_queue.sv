// SPDX-License-Identifier: MIT
// Two-entry request queue in front of one requester's port of the slot
// memory's arbiter. The requester's grant is the queue's registered "not
// full", so it depends on nothing of this clock (neither on other
// requesters' requests nor on the arbiter); the arbiter reads the head,
// which is a register. Two entries keep one request per clock flowing
// when the arbiter takes the head every clock: with one entry, "not full"
// would be low in the clock after every push.
//
// The head is always entry 0 (a shifting queue), so the arbiter's side
// needs no read pointer.
module hermes_port_queue #(
  parameter int unsigned W = 1
) (
  input  logic         clk_i,
  input  logic         rst_ni,

  // Requester side: push_i is taken when ready_o is high.
  input  logic         push_i,
  input  logic [W-1:0] data_i,
  output logic         ready_o,

  // Arbiter side: the head, taken by pop_i.
  output logic         valid_o,
  output logic [W-1:0] data_o,
  input  logic         pop_i
);

  logic         valid0_q, valid1_q;
  logic [W-1:0] data0_q, data1_q;
  logic         push;

  assign ready_o = !valid1_q;
  assign valid_o = valid0_q;
  assign data_o  = data0_q;
  assign push    = push_i && ready_o;

  // Entry 0 loads when it is empty or leaves this clock: from entry 1 if
  // that is full, else from the requester. Entry 1 loads only when entry 0
  // stays and is full.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      valid0_q <= 1'b0;
      valid1_q <= 1'b0;
    end else if (!valid0_q || pop_i) begin
      valid0_q <= valid1_q || push;
      valid1_q <= 1'b0;
    end else begin
      valid1_q <= valid1_q || push;
    end
  end

  // Data without reset: an entry is read only while its valid is set.
  always_ff @(posedge clk_i) begin
    if (!valid0_q || pop_i) begin
      data0_q <= valid1_q ? data1_q : data_i;
    end
    if (valid0_q && !pop_i && !valid1_q) begin
      data1_q <= data_i;
    end
  end

`ifndef SYNTHESIS
  PopNeedsHead: assert property (@(posedge clk_i) disable iff (!rst_ni)
    pop_i |-> valid0_q);
  SecondNeedsFirst: assert property (@(posedge clk_i) disable iff (!rst_ni)
    valid1_q |-> valid0_q);
`endif

endmodule
