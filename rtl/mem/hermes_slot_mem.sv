// SPDX-License-Identifier: MIT
// BAR4 card memory: program slots, then data slots, then the queue region.
//
// Two banks of 512-bit lines (even lines in bank 0, odd lines in bank 1),
// so an engine access that spans two lines reads or writes both in one
// clock. Requesters: NUM_ENGINES engine data ports (docs/RTL_INTERFACES.md
// "Engine data port") and one DMA line port (requester NUM_ENGINES), served
// round robin, one grant per clock. Every access answers one clock after
// its grant (rvalid). An atomic reads in its grant clock, answers the old
// value the next clock, computes its operation from registered operands
// the clock after, and writes the registered result back the clock after
// that, so that no path runs from a bank's read through the operation into
// a bank's write in one clock. No other request is granted in those three
// clocks, so the read-modify-write is indivisible across engines.
//
// With PORT_QUEUE (the card's configuration), each engine port enters a
// two-entry queue (hermes_port_queue) and the arbiter serves the queues'
// heads: an engine's grant is its queue's registered "not full", so no
// path runs from one engine's request through the arbiter into another
// engine, and the arbiter and the banks start from registers. A request
// then answers two clocks after the engine's grant at the earliest, one
// more than without the queue (docs/AREA.md, docs/PIPELINE.md).
module hermes_slot_mem #(
  parameter int unsigned NUM_ENGINES     = hermes_pkg::DEFAULT_ENGINES,
  parameter int unsigned NUM_PROG_SLOTS  = hermes_pkg::DEFAULT_PROG_SLOTS,
  parameter int unsigned NUM_DATA_SLOTS  = hermes_pkg::DEFAULT_DATA_SLOTS,
  parameter int unsigned PROG_SLOT_BYTES = hermes_pkg::DEFAULT_PROG_SLOT_SIZE,
  parameter int unsigned DATA_SLOT_BYTES = hermes_pkg::DEFAULT_DATA_SLOT_SIZE,
  parameter int unsigned EXTRA_BYTES     = 0,  // the queue region, after the data slots
  parameter bit          PORT_QUEUE      = 1'b1,
  localparam int unsigned TOTAL_BYTES = NUM_PROG_SLOTS * PROG_SLOT_BYTES +
                                        NUM_DATA_SLOTS * DATA_SLOT_BYTES + EXTRA_BYTES,
  localparam int unsigned LINES   = TOTAL_BYTES / 64,
  localparam int unsigned LINE_AW = $clog2(LINES)
) (
  input  logic                              clk_i,
  input  logic                              rst_ni,

  // DMA line port: one 64-byte line per request, byte enables on writes.
  input  logic                              dma_req_i,
  input  logic                              dma_we_i,
  input  logic [LINE_AW-1:0]                dma_addr_i,
  input  logic [511:0]                      dma_wdata_i,
  input  logic [63:0]                       dma_be_i,
  output logic                              dma_gnt_o,
  output logic                              dma_rvalid_o,
  output logic [511:0]                      dma_rdata_o,

  // Engine data ports.
  input  logic [NUM_ENGINES-1:0]            dmem_req_i,
  input  logic [NUM_ENGINES*2-1:0]          dmem_op_i,
  input  logic [NUM_ENGINES*2-1:0]          dmem_size_i,
  input  logic [NUM_ENGINES*8-1:0]          dmem_amo_i,
  input  logic [NUM_ENGINES*32-1:0]         dmem_addr_i,
  input  logic [NUM_ENGINES*64-1:0]         dmem_wdata_i,
  input  logic [NUM_ENGINES*64-1:0]         dmem_cmp_i,
  output logic [NUM_ENGINES-1:0]            dmem_gnt_o,
  output logic [NUM_ENGINES-1:0]            dmem_rvalid_o,
  output logic [NUM_ENGINES*64-1:0]         dmem_rdata_o,

  // An engine store or atomic granted this clock, and the last line it
  // writes (for the scrubber's high-water marks).
  output logic                              eng_wr_o,
  output logic [LINE_AW-1:0]                eng_wr_line_o
);

  localparam int unsigned NReq      = NUM_ENGINES + 1;
  localparam int unsigned ReqW      = $clog2(NReq);
  localparam int unsigned BankLines = (LINES + 1) / 2;
  localparam int unsigned BankAW    = $clog2(BankLines);
  localparam int unsigned EngW      = (NUM_ENGINES > 1) ? $clog2(NUM_ENGINES) : 1;
  localparam logic [1:0]  OpLoad    = 2'd0;
  localparam logic [1:0]  OpStore   = 2'd1;
  localparam logic [1:0]  OpAtomic  = 2'd2;

  // ---- arbitration ----
  logic [NReq-1:0] req, gnt;
  logic [ReqW-1:0] sel;
  logic            any, block_q;
  logic [EngW-1:0] esel;

  // ---- the engine ports' requests as the arbiter sees them ----
  // Queue heads with PORT_QUEUE, else the ports themselves. One request:
  // {op, size, amo, addr, wdata, cmp}.
  localparam int unsigned RqW = 2 + 2 + 8 + 32 + 64 + 64;
  logic [NUM_ENGINES-1:0]    h_req;
  logic [NUM_ENGINES*2-1:0]  h_op, h_size;
  logic [NUM_ENGINES*8-1:0]  h_amo;
  logic [NUM_ENGINES*32-1:0] h_addr;
  logic [NUM_ENGINES*64-1:0] h_wdata, h_cmp;

  for (genvar e = 0; e < NUM_ENGINES; e++) begin : g_port
    logic [RqW-1:0] port_rq, head_rq;
    assign port_rq = {dmem_op_i[e*2 +: 2], dmem_size_i[e*2 +: 2], dmem_amo_i[e*8 +: 8],
                      dmem_addr_i[e*32 +: 32], dmem_wdata_i[e*64 +: 64], dmem_cmp_i[e*64 +: 64]};
    assign {h_op[e*2 +: 2], h_size[e*2 +: 2], h_amo[e*8 +: 8],
            h_addr[e*32 +: 32], h_wdata[e*64 +: 64], h_cmp[e*64 +: 64]} = head_rq;
    if (PORT_QUEUE) begin : g_queue
      hermes_port_queue #(.W(RqW)) u_queue (
        .clk_i,
        .rst_ni,
        .push_i  (dmem_req_i[e]),
        .data_i  (port_rq),
        .ready_o (dmem_gnt_o[e]),
        .valid_o (h_req[e]),
        .data_o  (head_rq),
        .pop_i   (gnt[e])
      );
    end else begin : g_direct
      assign h_req[e]      = dmem_req_i[e];
      assign head_rq       = port_rq;
      assign dmem_gnt_o[e] = gnt[e];
    end
  end

  assign req = {dma_req_i, h_req};

  hermes_xdma_rr_arb #(.N(NReq)) u_arb (
    .clk_i,
    .rst_ni,
    .req_i   (block_q ? '0 : req),
    .ack_i   (1'b1),
    .gnt_o   (gnt),
    .idx_o   (sel),
    .valid_o (any)
  );

  assign esel = EngW'(sel);
  assign dma_gnt_o  = gnt[NUM_ENGINES];

  // ---- stage 0: the granted access ----
  logic               is_dma;
  logic [1:0]         op, size;
  logic [5:0]         addr_off;
  logic [63:0]        wdata;
  logic               odd;
  logic [5:0]         off;
  logic [511:0]       wd_eng;
  logic               we;
  logic [BankAW-1:0]  idx [2];
  logic [511:0]       bank_wdata [2];
  logic [63:0]        bank_be [2];
  logic [1:0]         bank_en;

  // Byte enables of an access of 2^size bytes at byte off of the 128-byte
  // window {line + 1, line}. Engine requests and an atomic's write-back.
  function automatic logic [127:0] window_be(logic [1:0] sz, logic [5:0] o);
    logic [63:0] bytes;
    bytes     = 64'((65'h1 << (8'h1 << sz)) - 65'h1);
    window_be = {bytes >> (64 - 32'(o)), bytes << o};
  endfunction
  // x rotated up by r bytes. Byte k of the window holds byte (k - off) mod 8
  // of the data wherever an enable is set (8 divides 64), so the data
  // rotated by off mod 8 and repeated over the line serves both lines: a
  // rotation by 0-7 bytes rather than a shift by 0-63.
  function automatic logic [63:0] rot_bytes(logic [63:0] x, logic [2:0] r);
    rot_bytes = x;
    for (int unsigned k = 0; k < 3; k++)
      if (r[k]) rot_bytes = (rot_bytes << (8 << k)) | (rot_bytes >> (64 - (8 << k)));
  endfunction

  // Each engine's request placed from its own head, beside the arbiter, so
  // that the grant only selects: each bank's line index and byte enables,
  // its data rotated, its line's parity and the last line it writes. Bank b holds
  // the lines with line[0] == b; the access uses its line (bytes 0..63 of
  // the window) and the next (bytes 64..127). Flat vectors, engine e at
  // e * width (an unpacked array read by the grant would be a memory to
  // yosys).
  logic [NUM_ENGINES*BankAW-1:0]  eng_idx0, eng_idx1;
  logic [NUM_ENGINES*64-1:0]      eng_be0, eng_be1, eng_rot;
  logic [NUM_ENGINES*LINE_AW-1:0] eng_last;
  logic [NUM_ENGINES-1:0]         eng_odd;
  for (genvar e = 0; e < NUM_ENGINES; e++) begin : g_place
    logic [31:0]        a;
    logic               unused_a;
    logic [LINE_AW-1:0] l, l1;
    logic [127:0]       wbe;
    assign a        = h_addr[e*32 +: 32];
    assign unused_a = ^a[31:6+LINE_AW];
    assign l        = a[6 +: LINE_AW];
    assign l1       = l + 1'b1;
    assign wbe      = window_be(h_size[e*2 +: 2], a[5:0]);
    assign eng_idx0[e*BankAW +: BankAW]  = l[0] ? BankAW'(l1 >> 1) : BankAW'(l >> 1);
    assign eng_idx1[e*BankAW +: BankAW]  = l[0] ? BankAW'(l >> 1) : BankAW'(l1 >> 1);
    assign eng_be0[e*64 +: 64]           = l[0] ? wbe[127:64] : wbe[63:0];
    assign eng_be1[e*64 +: 64]           = l[0] ? wbe[63:0] : wbe[127:64];
    assign eng_rot[e*64 +: 64]           = rot_bytes(h_wdata[e*64 +: 64], a[2:0]);
    assign eng_odd[e]                    = l[0];
    assign eng_last[e*LINE_AW +: LINE_AW] = (wbe[127:64] != '0) ? l1 : l;
  end

  assign is_dma = sel == ReqW'(NUM_ENGINES);
  assign op     = is_dma ? (dma_we_i ? OpStore : OpLoad) : h_op[32'(esel)*2 +: 2];
  assign size   = h_size[32'(esel)*2 +: 2];
  assign addr_off = h_addr[32'(esel)*32 +: 6];
  assign wdata  = h_wdata[32'(esel)*64 +: 64];
  assign odd    = is_dma ? dma_addr_i[0] : eng_odd[esel];
  assign off    = is_dma ? 6'd0 : addr_off;
  assign wd_eng = {8{eng_rot[32'(esel)*64 +: 64]}};
  assign we = any && op == OpStore;
  assign eng_wr_o      = any && !is_dma && op != OpLoad;
  assign eng_wr_line_o = eng_last[32'(esel)*LINE_AW +: LINE_AW];

  // The DMA port writes or reads its one line, in the bank of its parity;
  // an engine access uses what its head placed.
  always_comb begin
    for (int unsigned b = 0; b < 2; b++) begin
      if (is_dma) begin
        idx[b]        = BankAW'(dma_addr_i >> 1);
        bank_wdata[b] = dma_wdata_i;
        bank_be[b]    = (dma_addr_i[0] == b[0]) ? dma_be_i : '0;
        bank_en[b]    = any && dma_addr_i[0] == b[0];
      end else begin
        idx[b]        = (b == 0) ? eng_idx0[32'(esel)*BankAW +: BankAW]
                                 : eng_idx1[32'(esel)*BankAW +: BankAW];
        bank_wdata[b] = wd_eng;
        bank_be[b]    = (b == 0) ? eng_be0[32'(esel)*64 +: 64] : eng_be1[32'(esel)*64 +: 64];
        bank_en[b]    = any;
      end
    end
  end

  // ---- stage 1: responses, atomic write-back ----
  logic               s1_valid_q, s1_dma_q, s1_odd_q;
  logic [ReqW-1:0]    s1_sel_q;
  logic [1:0]         s1_op_q, s1_size_q;
  logic [5:0]         s1_off_q;
  logic [7:0]         s1_amo_q;
  logic [63:0]        s1_src_q, s1_cmp_q;
  logic [BankAW-1:0]  s1_idx_q [2];
  // Bank b's line in bits 512*b +: 512, one vector rather than an array:
  // yosys 0.23 drops a black-boxed bank's output into an array element.
  logic [1023:0]      bank_rdata;
  logic [511:0]       rd_lo;
  logic [63:0]        rd_hi;
  logic [2:0]         s1_word;
  logic [127:0]       rd_pair;
  logic [63:0]        loaded, amo_new, s1_size_mask;
  logic [511:0]       amo_wd;
  logic [63:0]        amo_be_lo, amo_be_hi;
  logic               s1_amo, amo_we;
  logic [63:0]        amo_fetch_unused;

  // ---- stage 2: an atomic's operation, from registered operands ----
  logic               s2_amo_q, s2_odd_q;
  logic [1:0]         s2_size_q;
  logic [5:0]         s2_off_q;
  logic [7:0]         s2_amo_op_q;
  logic [63:0]        s2_old_q, s2_src_q, s2_cmp_q;
  logic [BankAW-1:0]  s2_idx_q [2];

  // ---- stage 3: its write-back, from the registered result ----
  logic               s3_wb_q, s3_we_q, s3_odd_q;
  logic [2:0]         s3_rot_q;
  logic [63:0]        s3_new_q, s3_be_lo_q, s3_be_hi_q;
  logic [BankAW-1:0]  s3_idx_q [2];

  assign s1_amo = s1_valid_q && s1_op_q == OpAtomic;
  // block_q: an atomic is in stage 1, 2 or 3 (s1_amo || s2_amo_q ||
  // s3_wb_q), registered from what enters them, so that the arbiter's
  // requests do not wait on the stage registers' logic.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) block_q <= 1'b0;
    else         block_q <= (any && op == OpAtomic) || s1_amo || s2_amo_q;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      s1_valid_q <= 1'b0;
      s1_dma_q   <= 1'b0;
      s1_odd_q   <= 1'b0;
      s1_sel_q   <= '0;
      s1_op_q    <= '0;
      s1_size_q  <= '0;
      s1_off_q   <= '0;
      s1_amo_q   <= '0;
      s1_src_q   <= '0;
      s1_cmp_q   <= '0;
      s1_idx_q[0] <= '0;
      s1_idx_q[1] <= '0;
    end else begin
      s1_valid_q <= any;
      s1_dma_q   <= is_dma;
      s1_odd_q   <= odd;
      s1_sel_q   <= sel;
      s1_op_q    <= op;
      s1_size_q  <= size;
      s1_off_q   <= off;
      s1_amo_q   <= h_amo[32'(esel)*8 +: 8];
      s1_src_q   <= wdata;
      s1_cmp_q   <= h_cmp[32'(esel)*64 +: 64];
      s1_idx_q[0] <= idx[0];
      s1_idx_q[1] <= idx[1];
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      s2_amo_q    <= 1'b0;
      s2_odd_q    <= 1'b0;
      s2_size_q   <= '0;
      s2_off_q    <= '0;
      s2_amo_op_q <= '0;
      s2_old_q    <= '0;
      s2_src_q    <= '0;
      s2_cmp_q    <= '0;
      s2_idx_q[0] <= '0;
      s2_idx_q[1] <= '0;
    end else begin
      s2_amo_q <= s1_amo;
      if (s1_amo) begin
        s2_odd_q    <= s1_odd_q;
        s2_size_q   <= s1_size_q;
        s2_off_q    <= s1_off_q;
        s2_amo_op_q <= s1_amo_q;
        s2_old_q    <= loaded;
        s2_src_q    <= s1_src_q;
        s2_cmp_q    <= s1_cmp_q;
        s2_idx_q[0] <= s1_idx_q[0];
        s2_idx_q[1] <= s1_idx_q[1];
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      s3_wb_q     <= 1'b0;
      s3_we_q     <= 1'b0;
      s3_odd_q    <= 1'b0;
      s3_rot_q    <= '0;
      s3_new_q    <= '0;
      s3_be_lo_q  <= '0;
      s3_be_hi_q  <= '0;
      s3_idx_q[0] <= '0;
      s3_idx_q[1] <= '0;
    end else begin
      s3_wb_q <= s2_amo_q;
      if (s2_amo_q) begin
        s3_we_q     <= amo_we;
        s3_odd_q    <= s2_odd_q;
        s3_rot_q    <= s2_off_q[2:0];
        s3_new_q    <= amo_new;
        s3_be_lo_q  <= amo_be_lo;
        s3_be_hi_q  <= amo_be_hi;
        s3_idx_q[0] <= s2_idx_q[0];
        s3_idx_q[1] <= s2_idx_q[1];
      end
    end
  end

  // The read window: line (rd_lo), then line + 1, of which only the first
  // word can be reached (rd_hi). An access lies in the 64-bit word at off / 8
  // and the next one: select those two rather than shift 1024 bits.
  assign rd_lo   = s1_odd_q ? bank_rdata[1023:512] : bank_rdata[511:0];
  assign rd_hi   = s1_odd_q ? bank_rdata[63:0] : bank_rdata[575:512];
  assign s1_word = s1_off_q[5:3];
  assign rd_pair = {(s1_word == 3'd7) ? rd_hi : rd_lo[32'(s1_word) * 64 + 64 +: 64],
                    rd_lo[32'(s1_word) * 64 +: 64]};
  assign s1_size_mask = (s1_size_q == 2'd3) ? '1 : 64'((65'h1 << (8 << s1_size_q)) - 65'h1);
  assign loaded = 64'(rd_pair >> (32'(s1_off_q[2:0]) * 8)) & s1_size_mask;

  // The operation: the one the engine uses for its stack atomics. Its
  // result is zero-extended for W; the byte enables take the size.
  hermes_amo_alu u_amo_alu (
    .op_i      (s2_amo_op_q),
    .size_i    (s2_size_q),
    .old_i     (s2_old_q),
    .operand_i (s2_src_q),
    .cmp_i     (s2_cmp_q),
    .new_o     (amo_new),
    .we_o      (amo_we),
    .fetch_o   (amo_fetch_unused)
  );

  // The write-back's byte enables, from stage 2's registers: no shifter
  // runs between stage 3's registers and the banks.
  assign {amo_be_hi, amo_be_lo} = window_be(s2_size_q, s2_off_q);

  // The result placed as an engine's store data is (rot_bytes).
  assign amo_wd = {8{rot_bytes(s3_new_q, s3_rot_q)}};

  for (genvar b = 0; b < 2; b++) begin : g_bank
    logic               en, bwe;
    logic [63:0]        be;
    logic [BankAW-1:0]  a;
    logic [511:0]       wd;
    logic               first1;
    assign first1 = s3_odd_q == 1'(b);
    always_comb begin
      if (s3_wb_q) begin
        en  = 1'b1;
        bwe = s3_we_q;
        a   = s3_idx_q[b];
        wd  = amo_wd;
        be  = first1 ? s3_be_lo_q : s3_be_hi_q;
      end else begin
        en  = bank_en[b];
        bwe = we;
        a   = idx[b];
        wd  = bank_wdata[b];
        be  = bank_be[b];
      end
    end
    hermes_slot_bank #(.DEPTH(BankLines)) u_bank (
      .clk_i,
      .en_i    (en),
      .we_i    (bwe),
      .be_i    (be),
      .addr_i  (a),
      .wdata_i (wd),
      .rdata_o (bank_rdata[512*b +: 512])
    );
  end

  // Responses.
  for (genvar e = 0; e < NUM_ENGINES; e++) begin : g_resp
    assign dmem_rvalid_o[e] = s1_valid_q && !s1_dma_q && s1_sel_q == ReqW'(e);
    assign dmem_rdata_o[e*64 +: 64] = loaded;
  end
  assign dma_rvalid_o = s1_valid_q && s1_dma_q && s1_op_q == OpLoad;
  assign dma_rdata_o  = rd_lo;

`ifndef SYNTHESIS
  // Nothing is granted between an atomic's read and its write-back.
  AtomicIndivisible: assert property (@(posedge clk_i) disable iff (!rst_ni)
    block_q |-> !any);
  BlockMatchesStages: assert property (@(posedge clk_i) disable iff (!rst_ni)
    block_q == (s1_amo || s2_amo_q || s3_wb_q));
`endif

endmodule
