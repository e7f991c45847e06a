// SPDX-License-Identifier: MIT
// Interrupt levels to request pulses with acknowledge, one per vector, for
// shells that want a single-clock request and answer it with an ack pulse
// (AWS F1 cl_sh_apppf_irq_req / sh_cl_apppf_irq_ack): each time a vector's
// level rises, one request pulse, and none for that vector again until the
// shell has acknowledged it. A level that falls and rises again before the
// ack gets its pulse once the ack has come.
module hermes_irq_pulse #(
  parameter int unsigned N = 4
) (
  input  logic         clk_i,
  input  logic         rst_ni,
  input  logic [N-1:0] level_i,  // vector pending (card irq_req_o)
  output logic [N-1:0] req_o,    // single-clock request
  input  logic [N-1:0] ack_i     // single-clock acknowledge
);

  logic [N-1:0] sent_q;   // the current high level has had its pulse
  logic [N-1:0] wait_q;   // a pulse is not yet acknowledged

  assign req_o = level_i & ~sent_q & ~wait_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      sent_q <= '0;
      wait_q <= '0;
    end else begin
      sent_q <= (sent_q | req_o) & level_i;
      wait_q <= (wait_q | req_o) & ~ack_i;
    end
  end

`ifndef SYNTHESIS
  // The shell acknowledges only requests it was sent.
  always_ff @(posedge clk_i) begin
    if (rst_ni) assert ((ack_i & ~wait_q) == '0) else $error("hermes_irq_pulse: ack without a request");
  end
`endif

endmodule
