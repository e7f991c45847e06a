// SPDX-License-Identifier: MIT
// BAR0 registers of the hardware command queues (0x4000-0x42FF,
// docs/HWQUEUE.md): geometry, and per queue its ring configuration, the
// two write-only doorbells, interrupt moderation and a read-only position
// word. Reads never change state.
//
// The interrupt of queue q is an event per moderation trigger, with the
// PG195 usr_irq_req/usr_irq_ack handshake: moderation (N completions, or T
// clocks after the oldest one not yet signalled) raises irq_o[q], which is
// held until the shell's one-clock irq_ack_i[q] (the message went out) and
// then dropped; nothing the host writes is needed to re-arm it. Completions
// while the request is held count toward the next event, which moderation
// raises once the request has dropped: none is lost. The CQ head (Q_CQHEAD,
// or Q_SQTAIL bit 31) is only credit for the dispatcher and leaves the
// interrupt alone (dropping a request before its ack would break the
// handshake).
module hermes_hwq_regs #(
  parameter int unsigned NUM_QUEUES  = hermes_pkg::DEFAULT_QUEUES,
  parameter int unsigned NUM_ENGINES = hermes_pkg::DEFAULT_ENGINES,
  parameter int unsigned FIRST_IRQ   = hermes_pkg::DEFAULT_ENGINES,
  parameter int unsigned QUEUE_OFF   = 32'h0110_0000,
  parameter int unsigned QUEUE_BYTES = hermes_pkg::DEFAULT_QUEUE_BYTES
) (
  input  logic                     clk_i,
  input  logic                     rst_ni,

  input  logic                     reg_req_i,
  input  logic                     reg_we_i,
  input  logic [15:0]              reg_addr_i,
  input  logic [31:0]              reg_wdata_i,
  input  logic [3:0]               reg_wstrb_i,
  output logic                     hit_o,
  output logic [31:0]              rdata_o,
  output logic                     err_o,

  // Configuration towards the dispatcher.
  output logic [NUM_ENGINES-1:0]   eng_mask_o,   // engines the dispatcher may use
  output logic [NUM_QUEUES-1:0]    en_o,
  output logic [NUM_QUEUES-1:0]    start_o,      // pulse: queue enabled, indices to 0
  output logic [NUM_QUEUES*32-1:0] sq_base_o,
  output logic [NUM_QUEUES*32-1:0] cq_base_o,
  output logic [NUM_QUEUES*4-1:0]  sq_log2_o,
  output logic [NUM_QUEUES*4-1:0]  cq_log2_o,
  output logic [NUM_QUEUES-1:0]    cq_wide_o,    // 64-byte completions
  output logic [NUM_QUEUES*16-1:0] q_eng_o,      // engines of queue q, 0: all
  output logic [NUM_QUEUES*16-1:0] sq_tail_o,
  output logic [NUM_QUEUES*16-1:0] cq_head_o,
  input  logic [NUM_QUEUES*16-1:0] sq_head_i,
  input  logic [NUM_QUEUES*16-1:0] cq_tail_i,
  input  logic [NUM_QUEUES-1:0]    cpl_i,        // a completion was written
  input  logic [NUM_QUEUES-1:0]    busy_i,       // the dispatcher has jobs of queue q in hand (Q_CTRL bit 2)

  output logic [NUM_QUEUES-1:0]    irq_o,        // request, held until acknowledged
  input  logic [NUM_QUEUES-1:0]    irq_ack_i     // one clock: the shell sent it
);

  localparam int unsigned Base   = hermes_pkg::EHQ_BASE;
  localparam int unsigned Stride = hermes_pkg::EHQ_STRIDE;
  localparam int unsigned QEnd   = QUEUE_OFF + QUEUE_BYTES;
  localparam int unsigned QW     = (NUM_QUEUES > 1) ? $clog2(NUM_QUEUES) : 1;

  logic [NUM_QUEUES-1:0] en_q, err_q, req_q;
  logic [NUM_ENGINES-1:0] eng_mask_q;
  logic [31:0]           sqb_q [NUM_QUEUES];
  logic [31:0]           cqb_q [NUM_QUEUES];
  logic [3:0]            sql_q [NUM_QUEUES];
  logic [3:0]            cql_q [NUM_QUEUES];
  logic                  cqw_q [NUM_QUEUES];
  logic [15:0]           qeng_q [NUM_QUEUES];
  logic [15:0]           sqt_q [NUM_QUEUES];
  logic [15:0]           cqh_q [NUM_QUEUES];
  logic [15:0]           modn_q [NUM_QUEUES];
  logic [15:0]           modt_q [NUM_QUEUES];
  logic [15:0]           cnt_q [NUM_QUEUES];
  logic [15:0]           age_q [NUM_QUEUES];

  // Decode: a geometry word, or word w of queue q's block. Registered every
  // clock: the register bus holds an access's address for a clock before
  // its request (hermes_axil_regbus), so the request meets the decode of
  // its own address and the write and its checks start from registers.
  logic          geo_hit_d, q_hit_d, geo_hit_q, q_hit_q;
  logic [QW-1:0] qsel_d, qsel_q;
  logic [2:0]    w_d, w_q;
  logic [1:0]    geo_word_d, geo_word_q; // EHQNUM, EHQOFF, EHQSZE, EHQENG
  always_comb begin
    geo_hit_d  = reg_addr_i == 16'(hermes_pkg::EHQNUM) || reg_addr_i == 16'(hermes_pkg::EHQOFF) ||
                 reg_addr_i == 16'(hermes_pkg::EHQSZE) || reg_addr_i == 16'(hermes_pkg::EHQENG);
    geo_word_d = reg_addr_i == 16'(hermes_pkg::EHQNUM) ? 2'd0 :
                 reg_addr_i == 16'(hermes_pkg::EHQOFF) ? 2'd1 :
                 reg_addr_i == 16'(hermes_pkg::EHQSZE) ? 2'd2 : 2'd3;
    q_hit_d    = 32'(reg_addr_i) >= Base && 32'(reg_addr_i) < Base + Stride * NUM_QUEUES;
    qsel_d     = QW'((32'(reg_addr_i) - Base) / Stride);
    w_d        = 3'((32'(reg_addr_i) - Base) % Stride >> 2);
  end
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      geo_hit_q  <= 1'b0;
      geo_word_q <= '0;
      q_hit_q    <= 1'b0;
      qsel_q     <= '0;
      w_q        <= '0;
    end else begin
      geo_hit_q  <= geo_hit_d;
      geo_word_q <= geo_word_d;
      q_hit_q    <= q_hit_d;
      qsel_q     <= qsel_d;
      w_q        <= w_d;
    end
  end
  assign hit_o = geo_hit_q || q_hit_q;

  // Whether queue q's configuration fits: both rings inside the queue
  // region, aligned to their entries, 2..32768 entries each.
  function automatic logic cfg_ok(logic [31:0] sqb, logic [31:0] cqb, logic [3:0] sql,
                                  logic [3:0] cql, logic cqw);
    logic [32:0] sq_end, cq_end;
    sq_end = 33'(sqb) + (33'(hermes_hwq_pkg::SQE_BYTES) << sql);
    cq_end = 33'(cqb) + ((cqw ? 33'(hermes_hwq_pkg::CQE_WIDE_BYTES) : 33'(hermes_hwq_pkg::CQE_BYTES)) << cql);
    cfg_ok = sql != 0 && cql != 0 && sqb[5:0] == 0 && cqb[4:0] == 0 && (!cqw || cqb[5] == 0) &&
             sqb >= QUEUE_OFF && cqb >= QUEUE_OFF && sq_end <= 33'(QEnd) && cq_end <= 33'(QEnd);
  endfunction

  // Per queue, from its registered configuration: whether it fits, and the
  // index bits a doorbell may not set (at or above the ring's log2 size).
  // Registered, so that a write's checks start from registers. Whether a
  // queue fits is computed by one shared check: the clock after a write to
  // a queue's configuration (when the registers hold it), that
  // configuration is registered, and the clock after that checked into
  // cfg_ok_q. The next access reaches this block 4 clocks after a write at
  // the earliest (hermes_axil_regbus), when the answer is in place
  // (asserted below).
  logic [NUM_QUEUES-1:0] cfg_ok_q;
  logic [15:0]           sq_over_q [NUM_QUEUES];
  logic [31:0]           cq_over_q [NUM_QUEUES];
  logic                  chk_pend_q, chk_valid_q;
  logic [QW-1:0]         chk_q;
  logic [31:0]           chk_sqb_q, chk_cqb_q;
  logic [3:0]            chk_sql_q, chk_cql_q;
  logic                  chk_cqw_q;
  logic                  cfg_wr;
  assign cfg_wr = reg_req_i && reg_we_i && q_hit_q && (w_q == 3'd1 || w_q == 3'd2 || w_q == 3'd3);
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cfg_ok_q       <= '0;
      chk_pend_q     <= 1'b0;
      chk_valid_q    <= 1'b0;
      chk_q          <= '0;
      chk_sqb_q      <= '0;
      chk_cqb_q      <= '0;
      chk_sql_q      <= '0;
      chk_cql_q      <= '0;
      chk_cqw_q      <= 1'b0;
      for (int unsigned q = 0; q < NUM_QUEUES; q++) begin
        sq_over_q[q] <= '1;
        cq_over_q[q] <= '1;
      end
    end else begin
      // The write's clock: which queue. Clock 1 after it: its
      // configuration as written.
      chk_pend_q <= cfg_wr;
      if (cfg_wr) chk_q <= qsel_q;
      chk_valid_q <= chk_pend_q;
      chk_sqb_q   <= sqb_q[chk_q];
      chk_cqb_q   <= cqb_q[chk_q];
      chk_sql_q   <= sql_q[chk_q];
      chk_cql_q   <= cql_q[chk_q];
      chk_cqw_q   <= cqw_q[chk_q];
      // Clock 2: the check.
      if (chk_valid_q) cfg_ok_q[chk_q] <= cfg_ok(chk_sqb_q, chk_cqb_q, chk_sql_q, chk_cql_q, chk_cqw_q);
      for (int unsigned q = 0; q < NUM_QUEUES; q++) begin
        sq_over_q[q] <= 16'hffff << sql_q[q];
        cq_over_q[q] <= 32'hffff_ffff << cql_q[q];
      end
    end
  end

  logic full_word;
  assign full_word = reg_wstrb_i == 4'hf;

  logic wr;
  assign wr = reg_req_i && reg_we_i && q_hit_q;

  // Write errors (SLVERR, no effect): read-only words, partial words,
  // configuration while enabled, doorbells of a disabled queue or past
  // the ring.
  always_comb begin
    err_o   = 1'b0;
    rdata_o = '0;
    if (geo_hit_q) begin
      err_o = reg_we_i && !(geo_word_q == 2'd3 && full_word);
      unique case (geo_word_q)
        2'd0:    rdata_o = {16'h0, 8'(FIRST_IRQ), 8'(NUM_QUEUES)};
        2'd1:    rdata_o = QUEUE_OFF;
        2'd3:    rdata_o = 32'(eng_mask_q);
        default: rdata_o = QUEUE_BYTES;
      endcase
    end else if (q_hit_q) begin
      unique case (w_q)
        3'd0: begin
          rdata_o = {29'h0, busy_i[qsel_q], err_q[qsel_q], en_q[qsel_q]};
          err_o   = reg_we_i && !full_word;
        end
        3'd1: begin
          rdata_o = sqb_q[qsel_q];
          err_o   = reg_we_i && (!full_word || en_q[qsel_q]);
        end
        3'd2: begin
          rdata_o = cqb_q[qsel_q];
          err_o   = reg_we_i && (!full_word || en_q[qsel_q]);
        end
        3'd3: begin
          rdata_o = {qeng_q[qsel_q], 3'h0, cqw_q[qsel_q], cql_q[qsel_q], 4'h0, sql_q[qsel_q]};
          // 4-bit fields: 32768 entries at most by their width.
          err_o   = reg_we_i && (!full_word || en_q[qsel_q]);
        end
        // SQ tail in 15:0; bit 31 set: CQ head in 30:16 too, so a batch
        // costs one write.
        3'd4: err_o = !reg_we_i || !full_word || !en_q[qsel_q] ||
                      (reg_wdata_i[15:0] & sq_over_q[qsel_q]) != 0 ||
                      (reg_wdata_i[31] && (reg_wdata_i[30:16] & cq_over_q[qsel_q][14:0]) != 0) ||
                      (!reg_wdata_i[31] && reg_wdata_i[30:16] != 0);
        3'd5: err_o = !reg_we_i || !full_word || !en_q[qsel_q] ||
                      (reg_wdata_i & cq_over_q[qsel_q]) != 0;
        3'd6: begin
          rdata_o = {modt_q[qsel_q], modn_q[qsel_q]};
          err_o   = reg_we_i && !full_word;
        end
        default: begin
          rdata_o = {cq_tail_i[32'(qsel_q)*16 +: 16], sq_head_i[32'(qsel_q)*16 +: 16]};
          err_o   = reg_we_i;
        end
      endcase
    end
  end

  // An event is due: completions not yet signalled reached N, or the oldest
  // of them is T clocks old; raised only once the previous request dropped.
  logic [NUM_QUEUES-1:0] fire, enabling;
  always_comb begin
    for (int unsigned q = 0; q < NUM_QUEUES; q++)
      fire[q] = en_q[q] && !req_q[q] && cnt_q[q] != 0 &&
                (cnt_q[q] >= modn_q[q] || (modt_q[q] != 0 && age_q[q] >= modt_q[q]));
  end
  // Queue q is enabled by the write of this clock: it starts from nothing.
  always_comb begin
    enabling = '0;
    if (wr && !err_o && w_q == 3'd0 && reg_wdata_i[0] && !en_q[qsel_q]) enabling[qsel_q] = 1'b1;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      eng_mask_q <= '1;
      en_q    <= '0;
      err_q   <= '0;
      req_q   <= '0;
      start_o <= '0;
      for (int unsigned q = 0; q < NUM_QUEUES; q++) begin
        sqb_q[q]  <= '0;
        cqb_q[q]  <= '0;
        sql_q[q]  <= '0;
        cql_q[q]  <= '0;
        cqw_q[q]  <= 1'b0;
        qeng_q[q] <= '0;
        sqt_q[q]  <= '0;
        cqh_q[q]  <= '0;
        modn_q[q] <= 16'd1;
        modt_q[q] <= '0;
        cnt_q[q]  <= '0;
        age_q[q]  <= '0;
      end
    end else begin
      start_o <= '0;
      if (reg_req_i && reg_we_i && geo_hit_q && !err_o) eng_mask_q <= NUM_ENGINES'(reg_wdata_i);
      if (wr && !err_o) begin
        unique case (w_q)
          3'd0: begin
            if (reg_wdata_i[0] && !en_q[qsel_q]) begin
              if (cfg_ok_q[qsel_q]) begin
                en_q[qsel_q]    <= 1'b1;
                err_q[qsel_q]   <= 1'b0;
                start_o[qsel_q] <= 1'b1;
                sqt_q[qsel_q]   <= '0;
                cqh_q[qsel_q]   <= '0;
                cnt_q[qsel_q]   <= '0;
                age_q[qsel_q]   <= '0;
              end else begin
                err_q[qsel_q] <= 1'b1;
              end
            end else if (!reg_wdata_i[0]) begin
              en_q[qsel_q] <= 1'b0;
            end
          end
          3'd1: sqb_q[qsel_q] <= reg_wdata_i;
          3'd2: cqb_q[qsel_q] <= reg_wdata_i;
          3'd3: begin
            sql_q[qsel_q]  <= reg_wdata_i[3:0];
            cql_q[qsel_q]  <= reg_wdata_i[11:8];
            cqw_q[qsel_q]  <= |(reg_wdata_i & hermes_pkg::QSIZE_WIDE);
            qeng_q[qsel_q] <= reg_wdata_i[31:16];
          end
          3'd4: begin
            sqt_q[qsel_q] <= reg_wdata_i[15:0];
            if (reg_wdata_i[31]) cqh_q[qsel_q] <= {1'b0, reg_wdata_i[30:16]};
          end
          3'd5: cqh_q[qsel_q] <= reg_wdata_i[15:0];
          3'd6: begin
            modn_q[qsel_q] <= reg_wdata_i[15:0] == 0 ? 16'd1 : reg_wdata_i[15:0];
            modt_q[qsel_q] <= reg_wdata_i[31:16];
          end
          default: ;
        endcase
      end
      // After the register write (a queue enabled in this clock starts from
      // nothing). Moderation: N completions, or T clocks after the oldest
      // one not yet signalled (T 0: no timer), raise the request of an
      // enabled queue whose previous request has dropped; a completion in
      // the clock of the event counts toward the next one.
      for (int unsigned q = 0; q < NUM_QUEUES; q++) begin
        if (!enabling[q]) begin
          if (cpl_i[q]) cnt_q[q] <= cnt_q[q] + 1'b1;
          if (cnt_q[q] != 0 && age_q[q] != 16'hffff) age_q[q] <= age_q[q] + 1'b1;
          if (fire[q]) begin
            cnt_q[q] <= 16'(cpl_i[q]);
            age_q[q] <= '0;
          end
        end
        if (fire[q])           req_q[q] <= 1'b1;
        else if (irq_ack_i[q]) req_q[q] <= 1'b0;
      end
    end
  end

  for (genvar q = 0; q < NUM_QUEUES; q++) begin : g_out
    assign sq_base_o[q*32 +: 32] = sqb_q[q];
    assign cq_base_o[q*32 +: 32] = cqb_q[q];
    assign sq_log2_o[q*4 +: 4]   = sql_q[q];
    assign cq_log2_o[q*4 +: 4]   = cql_q[q];
    assign cq_wide_o[q]          = cqw_q[q];
    assign q_eng_o[q*16 +: 16]   = qeng_q[q];
    assign sq_tail_o[q*16 +: 16] = sqt_q[q];
    assign cq_head_o[q*16 +: 16] = cqh_q[q];
  end
  assign en_o  = en_q;
  assign eng_mask_o = eng_mask_q;
  // The request stays up until its ack also when the queue is disabled
  // meanwhile: the handshake is the shell's (PG195).
  assign irq_o = req_q;

`ifndef SYNTHESIS
  // A request drops only with its ack (or a reset).
  logic [NUM_QUEUES-1:0] req_prev_q, ack_prev_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      req_prev_q <= '0;
      ack_prev_q <= '0;
    end else begin
      req_prev_q <= req_q;
      ack_prev_q <= irq_ack_i;
    end
  end
  always_ff @(posedge clk_i) begin
    if (rst_ni) assert ((req_prev_q & ~req_q & ~ack_prev_q) == '0)
      else $error("hermes_hwq_regs: an interrupt request dropped without its ack");
    // An access never meets a configuration check still under way.
    if (rst_ni) assert (!(reg_req_i && (chk_pend_q || chk_valid_q)))
      else $error("hermes_hwq_regs: an access came before the last configuration was checked");
  end
`endif

endmodule
