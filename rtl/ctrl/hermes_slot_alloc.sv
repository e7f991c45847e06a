// SPDX-License-Identifier: MIT
// Slot allocator shared by the command processors and the queue dispatcher.
//
// One request is taken per clock, round robin over the ports, into a
// register; it is served the next clock from registered state, and its
// answer is registered: a port holds req_i until ack_o, which comes two
// clocks after its request was taken, with ok_o, wait_o and slot_o valid
// beside it. Taking, serving and answering in clocks of their own keeps
// the logic shallow (a request used to be answered in its own clock, every
// port seeing the bitmap as left by the ports before it: a 20-level path
// for 4 engines; the arbiter in front of the slot search was 12 levels,
// docs/AREA.md), and it hands a slot out only once by construction: one
// request is served a clock, against the bitmap the one before it left.
// Allocation takes the lowest free slot that is known to be zero. When
// every free slot is dirty, the lowest one is asked of the scrubber and
// wait_o tells the port to ask again rather than answer "no free slot". A
// release succeeds only for a slot that is allocated.
module hermes_slot_alloc #(
  parameter int unsigned NUM_PORTS      = hermes_pkg::DEFAULT_ENGINES + 1,
  parameter int unsigned NUM_PROG_SLOTS = hermes_pkg::DEFAULT_PROG_SLOTS,
  parameter int unsigned NUM_DATA_SLOTS = hermes_pkg::DEFAULT_DATA_SLOTS
) (
  input  logic                       clk_i,
  input  logic                       rst_ni,

  input  logic [NUM_PORTS-1:0]       req_i,       // held until ack_o
  input  logic [NUM_PORTS-1:0]       release_i,   // 1 release, 0 allocate
  input  logic [NUM_PORTS-1:0]       type_i,      // 0 program, 1 data
  input  logic [NUM_PORTS*8-1:0]     slot_i,      // slot to release
  output logic [NUM_PORTS-1:0]       ack_o,       // the answer, two clocks after the request was taken
  output logic                       ok_o,        // with ack_o: done
  output logic [7:0]                 slot_o,      // with ack_o and ok_o: the slot allocated
  output logic                       wait_o,      // with ack_o: none free yet, ask again

  // Scrubber: slots released this clock, dirty free slots wanted now
  // (both in the clock the request is served, the one before its ack),
  // slots not known to be zero.
  output logic [NUM_PROG_SLOTS-1:0]  prog_release_o,
  output logic [NUM_DATA_SLOTS-1:0]  data_release_o,
  output logic [NUM_PROG_SLOTS-1:0]  prog_want_o,
  output logic [NUM_DATA_SLOTS-1:0]  data_want_o,
  input  logic [NUM_PROG_SLOTS-1:0]  prog_dirty_i,
  input  logic [NUM_DATA_SLOTS-1:0]  data_dirty_i,

  output logic [NUM_PROG_SLOTS-1:0]  prog_used_o,
  output logic [NUM_DATA_SLOTS-1:0]  data_used_o
);

  localparam int unsigned PortW = NUM_PORTS > 1 ? $clog2(NUM_PORTS) : 1;
  localparam int unsigned NSlots = NUM_PROG_SLOTS > NUM_DATA_SLOTS ? NUM_PROG_SLOTS : NUM_DATA_SLOTS;
  localparam int unsigned ProgIW = NUM_PROG_SLOTS > 1 ? $clog2(NUM_PROG_SLOTS) : 1;
  localparam int unsigned DataIW = NUM_DATA_SLOTS > 1 ? $clog2(NUM_DATA_SLOTS) : 1;
  localparam int unsigned SlotIW = ProgIW > DataIW ? ProgIW : DataIW;

  logic [NUM_PROG_SLOTS-1:0] prog_used_q, prog_used_d;
  logic [NUM_DATA_SLOTS-1:0] data_used_q, data_used_d;
  logic [NUM_PORTS-1:0]      ack_q, ack_d;
  logic                      ok_q, ok_d, wait_q, wait_d;
  logic [7:0]                slot_q, slot_d;

  // ---- the port taken this clock ---------------------------------------------
  // A port whose request is being served or acknowledged still holds it:
  // not taken again. The card's round-robin arbiter picks among the others;
  // a pick is always taken, so the priority moves past it every time.
  logic [NUM_PORTS-1:0] pending, taken_gnt;
  logic                 sel_valid_q, sel_release_q, sel_type_q;
  logic [NUM_PORTS-1:0] sel_gnt_q;
  logic [7:0]           sel_slot_q;
  logic                 take;
  logic [PortW-1:0]     port;
  assign pending = req_i & ~ack_q & ~sel_gnt_q;

  hermes_xdma_rr_arb #(.N(NUM_PORTS)) u_port_arb (
    .clk_i,
    .rst_ni,
    .req_i   (pending),
    .ack_i   (1'b1),
    .gnt_o   (taken_gnt),
    .idx_o   (port),
    .valid_o (take)
  );

  // ---- the request served this clock: the one taken the clock before --------
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      sel_valid_q   <= 1'b0;
      sel_gnt_q     <= '0;
      sel_release_q <= 1'b0;
      sel_type_q    <= 1'b0;
      sel_slot_q    <= '0;
    end else begin
      sel_valid_q   <= take;
      sel_gnt_q     <= take ? taken_gnt : '0;
      sel_release_q <= release_i[port];
      sel_type_q    <= type_i[port];
      sel_slot_q    <= slot_i[32'(port)*8 +: 8];
    end
  end

  // ---- the lowest free clean slot, and the lowest free one, of each kind ------
  logic [NSlots-1:0] clean, free;
  always_comb begin
    clean = '0;
    free  = '0;
    if (sel_type_q) begin
      clean[NUM_DATA_SLOTS-1:0] = ~data_used_q & ~data_dirty_i;
      free[NUM_DATA_SLOTS-1:0]  = ~data_used_q;
    end else begin
      clean[NUM_PROG_SLOTS-1:0] = ~prog_used_q & ~prog_dirty_i;
      free[NUM_PROG_SLOTS-1:0]  = ~prog_used_q;
    end
  end

  logic              any_clean, any_free;
  logic [NSlots-1:0] clean_hot, free_hot;
  logic [SlotIW-1:0] first_clean, first_free;
  logic              unused_first_free;  // a want names the slot one-hot
  assign unused_first_free = ^first_free;
  hermes_lowest_set #(.N(NSlots), .IW(SlotIW)) u_first_clean (
    .bits_i   (clean),
    .valid_o  (any_clean),
    .onehot_o (clean_hot),
    .idx_o    (first_clean)
  );
  hermes_lowest_set #(.N(NSlots), .IW(SlotIW)) u_first_free (
    .bits_i   (free),
    .valid_o  (any_free),
    .onehot_o (free_hot),
    .idx_o    (first_free)
  );

  logic rel_ok;
  assign rel_ok = sel_type_q ? (32'(sel_slot_q) < NUM_DATA_SLOTS && data_used_q[sel_slot_q[DataIW-1:0]])
                             : (32'(sel_slot_q) < NUM_PROG_SLOTS && prog_used_q[sel_slot_q[ProgIW-1:0]]);

  always_comb begin
    prog_used_d    = prog_used_q;
    data_used_d    = data_used_q;
    prog_release_o = '0;
    data_release_o = '0;
    prog_want_o    = '0;
    data_want_o    = '0;
    ack_d          = '0;
    ok_d           = 1'b0;
    wait_d         = 1'b0;
    slot_d         = '0;
    if (sel_valid_q) begin
      ack_d = sel_gnt_q;
      if (sel_release_q) begin
        ok_d = rel_ok;
        if (rel_ok && sel_type_q) begin
          data_used_d[sel_slot_q[DataIW-1:0]]    = 1'b0;
          data_release_o[sel_slot_q[DataIW-1:0]] = 1'b1;
        end
        if (rel_ok && !sel_type_q) begin
          prog_used_d[sel_slot_q[ProgIW-1:0]]    = 1'b0;
          prog_release_o[sel_slot_q[ProgIW-1:0]] = 1'b1;
        end
      end else if (any_clean) begin
        ok_d   = 1'b1;
        slot_d = 8'(first_clean);
        if (sel_type_q) data_used_d = data_used_q | clean_hot[NUM_DATA_SLOTS-1:0];
        else          prog_used_d = prog_used_q | clean_hot[NUM_PROG_SLOTS-1:0];
      end else if (any_free) begin
        wait_d = 1'b1;
        if (sel_type_q) data_want_o = free_hot[NUM_DATA_SLOTS-1:0];
        else          prog_want_o = free_hot[NUM_PROG_SLOTS-1:0];
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      prog_used_q <= '0;
      data_used_q <= '0;
      ack_q       <= '0;
      ok_q        <= 1'b0;
      wait_q      <= 1'b0;
      slot_q      <= '0;
    end else begin
      prog_used_q <= prog_used_d;
      data_used_q <= data_used_d;
      ack_q       <= ack_d;
      ok_q        <= ok_d;
      wait_q      <= wait_d;
      slot_q      <= slot_d;
    end
  end

  assign ack_o       = ack_q;
  assign ok_o        = ok_q;
  assign wait_o      = wait_q;
  assign slot_o      = slot_q;
  assign prog_used_o = prog_used_q;
  assign data_used_o = data_used_q;

`ifndef SYNTHESIS
  // One answer at a time, and only to a port that asked.
  a_ack_onehot: assert property (@(posedge clk_i) disable iff (!rst_ni) $onehot0(ack_q));
  a_ack_asked:  assert property (@(posedge clk_i) disable iff (!rst_ni) (ack_q & ~req_i) == '0);
  // A port is never taken while its request is served or answered.
  a_one_inflight: assert property (@(posedge clk_i) disable iff (!rst_ni) (sel_gnt_q & ack_q) == '0);
`endif

endmodule
