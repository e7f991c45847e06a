// SPDX-License-Identifier: MIT
// Small synchronous show-ahead FIFO (flip-flops), used for descriptor and
// bookkeeping queues of the XDMA block.
module hermes_xdma_fifo #(
  parameter int unsigned WIDTH = 8,
  parameter int unsigned DEPTH = 4,
  localparam int unsigned CntW = $clog2(DEPTH + 1)
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             flush_i,
  input  logic             push_i,
  input  logic [WIDTH-1:0] wdata_i,
  input  logic             pop_i,
  output logic [WIDTH-1:0] rdata_o,
  output logic             empty_o,
  output logic             full_o,
  output logic [CntW-1:0]  count_o
);

  localparam int unsigned PtrW = (DEPTH > 1) ? $clog2(DEPTH) : 1;

  logic [WIDTH-1:0] mem_q [DEPTH];
  logic [PtrW-1:0]  rptr_q, wptr_q;
  logic [CntW-1:0]  cnt_q, cnt_d, cnt_flip;
  logic             do_push, do_pop;

  assign do_push = push_i && (cnt_q != CntW'(DEPTH));
  assign do_pop  = pop_i && (cnt_q != '0);

  // The count moves by one at most: bit i flips when the bits below are all
  // ones (up) or all zeros (down). A LUT a bit, not an adder behind the
  // push and pop, which come late in the clock.
  always_comb begin
    cnt_flip = '0;
    cnt_flip[0] = 1'b1;
    for (int unsigned i = 1; i < CntW; i++) cnt_flip[i] = cnt_flip[i-1] && (cnt_q[i-1] == do_push);
    cnt_d = (do_push != do_pop) ? cnt_q ^ cnt_flip : cnt_q;
  end

  function automatic logic [PtrW-1:0] incr(logic [PtrW-1:0] p);
    incr = (32'(p) == DEPTH - 1) ? '0 : p + 1'b1;
  endfunction

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rptr_q <= '0;
      wptr_q <= '0;
      cnt_q  <= '0;
    end else if (flush_i) begin
      rptr_q <= '0;
      wptr_q <= '0;
      cnt_q  <= '0;
    end else begin
      if (do_push) wptr_q <= incr(wptr_q);
      if (do_pop)  rptr_q <= incr(rptr_q);
      cnt_q <= cnt_d;
    end
  end

  always_ff @(posedge clk_i) begin
    if (do_push && !flush_i) mem_q[wptr_q] <= wdata_i;
  end

  assign rdata_o = mem_q[rptr_q];
  assign empty_o = cnt_q == '0;
  assign full_o  = cnt_q == CntW'(DEPTH);
  assign count_o = cnt_q;

endmodule
