// SPDX-License-Identifier: MIT
// One XDMA channel (H2C or C2H): PG195 channel and SGDMA registers, the
// descriptor fetcher and the data mover of its direction.
//
// Setting the run bit starts a chain at the SGDMA first-descriptor address
// (once the channel is idle). The channel stays busy until the chain ends:
// a descriptor with the stop bit completed, a bad magic, an error, or the
// run bit cleared; in every case it first drains what it has in flight.
// Status bits descriptor stopped/completed, magic stopped and idle stopped
// are logged when their control enable bit is set; error bits always are.
// The channel interrupt is (status & interrupt enable mask) != 0.
module hermes_xdma_chan #(
  parameter bit          C2H        = 1'b0,
  parameter int unsigned CHAN       = 0,
  parameter int unsigned CARD_BYTES = 32'h0110_0000,
  parameter int unsigned LINE_AW    = 19,
  parameter int unsigned MAX_RD     = 16,
  parameter int unsigned MAX_BURST  = 16,
  parameter int unsigned DESC_DEPTH = 4
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  // Card reset: stop as if the run bit were cleared, start nothing new.
  input  logic               stop_i,

  // Register bus, already decoded to this channel.
  input  logic               ch_req_i,  // channel block (target 0/1)
  input  logic               sg_req_i,  // SGDMA block (target 4/5)
  input  logic               we_i,
  input  logic [7:0]         addr_i,
  input  logic [31:0]        wdata_i,
  output logic [31:0]        ch_rdata_o,
  output logic [31:0]        sg_rdata_o,

  // Descriptor reads.
  output logic               dar_valid_o,
  output logic [63:0]        dar_addr_o,
  input  logic               dar_ready_i,
  input  logic               dr_valid_i,
  input  logic [511:0]       r_data_i,
  input  logic [1:0]         r_resp_i,
  input  logic               r_last_i,
  output logic               dr_ready_o,
  // Data reads (H2C).
  output logic               ar_valid_o,
  output logic [63:0]        ar_addr_o,
  output logic [7:0]         ar_len_o,
  input  logic               ar_ready_i,
  input  logic               r_valid_i,
  output logic               r_ready_o,
  // Data writes (C2H).
  output logic               aw_valid_o,
  output logic [63:0]        aw_addr_o,
  output logic [7:0]         aw_len_o,
  input  logic               aw_ready_i,
  output logic               w_valid_o,
  output logic [511:0]       w_data_o,
  output logic [63:0]        w_strb_o,
  output logic               w_last_o,
  input  logic               w_ready_i,
  input  logic               b_valid_i,
  input  logic [1:0]         b_resp_i,
  output logic               b_ready_o,

  // Card memory line port.
  output logic               lp_req_o,
  output logic               lp_we_o,
  output logic [LINE_AW-1:0] lp_addr_o,
  output logic [511:0]       lp_wdata_o,
  output logic [63:0]        lp_be_o,
  input  logic               lp_gnt_i,
  input  logic               lp_rvalid_i,
  input  logic [511:0]       lp_rdata_i,

  output logic               irq_o,
  output logic               busy_o
);

  localparam logic [3:0] ChTgt = C2H ? hermes_xdma_pkg::TGT_C2H : hermes_xdma_pkg::TGT_H2C;
  localparam logic [3:0] SgTgt = C2H ? hermes_xdma_pkg::TGT_C2H_SG : hermes_xdma_pkg::TGT_H2C_SG;
  localparam logic [31:0] ChId = {hermes_xdma_pkg::SUBSYS_ID, ChTgt, 1'b0, 3'b0, 4'(CHAN), hermes_xdma_pkg::IP_VERSION};
  localparam logic [31:0] SgId = {hermes_xdma_pkg::SUBSYS_ID, SgTgt, 1'b0, 3'b0, 4'(CHAN), hermes_xdma_pkg::IP_VERSION};
  // Alignments: address alignment 1 byte, length granularity 1 byte, 64 address bits.
  localparam logic [31:0] Align = 32'h0001_0140;

  logic [27:0] ctrl_q;
  logic [23:0] status_q;  // bit 0 unused: busy is live
  logic [31:0] cmpl_cnt_q;
  logic [63:0] poll_q;
  logic [23:0] imask_q;
  logic [2:0]  perf_ctrl_q;
  logic [63:0] perf_cyc_q, perf_dat_q;
  logic [31:0] sg_lo_q, sg_hi_q;
  logic [5:0]  sg_adj_q;
  logic [9:0]  credits_q;
  logic        busy_q, start_pend_q;

  logic ch_wr, ch_rd, sg_wr;
  logic [27:0] ctrl_d;
  logic start, halt, finish;
  logic run;

  assign ch_wr = ch_req_i && we_i;
  assign ch_rd = ch_req_i && !we_i;
  assign sg_wr = sg_req_i && we_i;
  assign run   = ctrl_q[hermes_xdma_pkg::CTRL_RUN] && !stop_i;

  always_comb begin
    ctrl_d = ctrl_q;
    if (ch_wr) begin
      unique case (addr_i)
        hermes_xdma_pkg::CH_CTRL:     ctrl_d = wdata_i[27:0];
        hermes_xdma_pkg::CH_CTRL_W1S: ctrl_d = ctrl_q | wdata_i[27:0];
        hermes_xdma_pkg::CH_CTRL_W1C: ctrl_d = ctrl_q & ~wdata_i[27:0];
        default: ;
      endcase
    end
  end

  // ---- fetcher and mover ----
  logic        f_done, f_magic, f_valid, f_pop, f_empty, f_bad;
  logic [1:0]  f_resp_err;
  logic [7:0]  f_ctrl;
  logic [27:0] f_len;
  logic [5:0]  f_dend;
  logic [63:0] f_src, f_dst;
  logic        m_cmpl, m_beat, m_range_err, m_idle;
  logic [7:0]  m_cmpl_ctrl;
  logic [1:0]  m_xfer_err;
  logic        err_any;

  assign start   = start_pend_q && !busy_q && !stop_i;
  // A fetch error only ends fetching: descriptors fetched before it still
  // complete. A data error stops the mover (and so the fetcher) at once.
  assign err_any = f_magic || f_resp_err != '0 || m_range_err || m_xfer_err != '0;
  assign halt    = !run || m_range_err || m_xfer_err != '0;
  assign finish  = busy_q && f_done && m_idle && (f_empty || halt) && !start;

  hermes_xdma_desc_fetch #(
    .DEPTH      (DESC_DEPTH),
    .CARD_BYTES (CARD_BYTES),
    .CARD_SRC   (C2H)
  ) u_fetch (
    .clk_i,
    .rst_ni,
    .start_i     (start),
    .addr_i      ({sg_hi_q, sg_lo_q}),
    .adj_i       (sg_adj_q),
    .halt_i      (halt),
    .ar_valid_o  (dar_valid_o),
    .ar_addr_o   (dar_addr_o),
    .ar_ready_i  (dar_ready_i),
    .r_valid_i   (dr_valid_i),
    .r_data_i    (r_data_i),
    .r_resp_i    (r_resp_i),
    .r_ready_o   (dr_ready_o),
    .d_valid_o   (f_valid),
    .d_ctrl_o    (f_ctrl),
    .d_len_o     (f_len),
    .d_src_o     (f_src),
    .d_dst_o     (f_dst),
    .d_bad_o     (f_bad),
    .d_dend_o    (f_dend),
    .d_pop_i     (f_pop),
    .d_empty_o   (f_empty),
    .done_o      (f_done),
    .magic_err_o (f_magic),
    .resp_err_o  (f_resp_err)
  );

  if (!C2H) begin : g_h2c
    hermes_xdma_h2c #(
      .LINE_AW    (LINE_AW),
      .MAX_RD     (MAX_RD),
      .MAX_BURST  (MAX_BURST)
    ) u_mover (
      .clk_i,
      .rst_ni,
      .clear_i     (start),
      .halt_i      (halt || start), // the start cycle: the FIFO still holds the last chain's
      .d_valid_i   (f_valid),
      .d_ctrl_i    (f_ctrl),
      .d_len_i     (f_len),
      .d_src_i     (f_src),
      .d_dst_i     (f_dst),
      .d_bad_i     (f_bad),
      .d_dend_i    (f_dend),
      .d_pop_o     (f_pop),
      .ar_valid_o,
      .ar_addr_o,
      .ar_len_o,
      .ar_ready_i,
      .r_valid_i,
      .r_data_i,
      .r_resp_i,
      .r_last_i,
      .r_ready_o,
      .lp_req_o,
      .lp_addr_o,
      .lp_wdata_o,
      .lp_be_o,
      .lp_gnt_i,
      .cmpl_o      (m_cmpl),
      .cmpl_ctrl_o (m_cmpl_ctrl),
      .beat_o      (m_beat),
      .range_err_o (m_range_err),
      .rd_err_o    (m_xfer_err),
      .idle_o      (m_idle)
    );
    assign lp_we_o    = 1'b1;
    assign aw_valid_o = 1'b0;
    assign aw_addr_o  = '0;
    assign aw_len_o   = '0;
    assign w_valid_o  = 1'b0;
    assign w_data_o   = '0;
    assign w_strb_o   = '0;
    assign w_last_o   = 1'b0;
    assign b_ready_o  = 1'b1;
    logic unused_h2c;
    assign unused_h2c = ^{aw_ready_i, w_ready_i, b_valid_i, b_resp_i, lp_rvalid_i, lp_rdata_i};
  end else begin : g_c2h
    hermes_xdma_c2h #(
      .LINE_AW    (LINE_AW),
      .MAX_WR     (MAX_RD),
      .MAX_BURST  (MAX_BURST)
    ) u_mover (
      .clk_i,
      .rst_ni,
      .clear_i     (start),
      .halt_i      (halt || start), // the start cycle: the FIFO still holds the last chain's
      .d_valid_i   (f_valid),
      .d_ctrl_i    (f_ctrl),
      .d_len_i     (f_len),
      .d_src_i     (f_src),
      .d_dst_i     (f_dst),
      .d_bad_i     (f_bad),
      .d_dend_i    (f_dend),
      .d_pop_o     (f_pop),
      .aw_valid_o,
      .aw_addr_o,
      .aw_len_o,
      .aw_ready_i,
      .w_valid_o,
      .w_data_o,
      .w_strb_o,
      .w_last_o,
      .w_ready_i,
      .b_valid_i,
      .b_resp_i,
      .b_ready_o,
      .lp_req_o,
      .lp_addr_o,
      .lp_gnt_i,
      .lp_rvalid_i,
      .lp_rdata_i,
      .cmpl_o      (m_cmpl),
      .cmpl_ctrl_o (m_cmpl_ctrl),
      .beat_o      (m_beat),
      .range_err_o (m_range_err),
      .wr_err_o    (m_xfer_err),
      .idle_o      (m_idle)
    );
    assign lp_we_o    = 1'b0;
    assign lp_wdata_o = '0;
    assign lp_be_o    = '0;
    assign ar_valid_o = 1'b0;
    assign ar_addr_o  = '0;
    assign ar_len_o   = '0;
    assign r_ready_o  = 1'b1;
    logic unused_c2h;
    assign unused_c2h = ^{ar_ready_i, r_valid_i, r_last_i};
  end

  // ---- status events ----
  logic [23:0] err_bits;
  always_comb begin
    err_bits = '0;
    err_bits[hermes_xdma_pkg::ST_MAGIC_STOPPED] = f_magic && ctrl_q[hermes_xdma_pkg::ST_MAGIC_STOPPED];
    err_bits[hermes_xdma_pkg::ST_DESC_ERR + hermes_xdma_pkg::ERR_DECODE] = f_resp_err[0];
    err_bits[hermes_xdma_pkg::ST_DESC_ERR + hermes_xdma_pkg::ERR_SLAVE]  = f_resp_err[1];
    if (!C2H) begin
      // Host reads fail: read_error; card range: write_error (decode).
      err_bits[hermes_xdma_pkg::ST_RD_ERR + hermes_xdma_pkg::ERR_DECODE] = m_xfer_err[0];
      err_bits[hermes_xdma_pkg::ST_RD_ERR + hermes_xdma_pkg::ERR_SLAVE]  = m_xfer_err[1];
      err_bits[hermes_xdma_pkg::ST_WR_ERR + hermes_xdma_pkg::ERR_DECODE] = m_range_err;
    end else begin
      // Card range: read_error (decode); host writes fail: write_error.
      err_bits[hermes_xdma_pkg::ST_RD_ERR + hermes_xdma_pkg::ERR_DECODE] = m_range_err;
      err_bits[hermes_xdma_pkg::ST_WR_ERR + hermes_xdma_pkg::ERR_DECODE] = m_xfer_err[0];
      err_bits[hermes_xdma_pkg::ST_WR_ERR + hermes_xdma_pkg::ERR_SLAVE]  = m_xfer_err[1];
    end
    err_bits[hermes_xdma_pkg::ST_IDLE_STOPPED] = !run && !err_any && ctrl_q[hermes_xdma_pkg::ST_IDLE_STOPPED];
  end

  // ---- registers ----
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ctrl_q       <= '0;
      status_q     <= '0;
      cmpl_cnt_q   <= '0;
      poll_q       <= '0;
      imask_q      <= '0;
      perf_ctrl_q  <= '0;
      perf_cyc_q   <= '0;
      perf_dat_q   <= '0;
      sg_lo_q      <= '0;
      sg_hi_q      <= '0;
      sg_adj_q     <= '0;
      credits_q    <= '0;
      busy_q       <= 1'b0;
      start_pend_q <= 1'b0;
    end else begin
      logic [23:0] status_d;
      status_d = status_q;

      ctrl_q <= ctrl_d;
      if (ctrl_d[hermes_xdma_pkg::CTRL_RUN] && !ctrl_q[hermes_xdma_pkg::CTRL_RUN]) start_pend_q <= 1'b1;
      else if (!ctrl_d[hermes_xdma_pkg::CTRL_RUN]) start_pend_q <= 1'b0;
      if (start) start_pend_q <= 1'b0;

      // Host clears: write 1 to clear at 0x40, clear on read at 0x44.
      if (ch_wr && addr_i == hermes_xdma_pkg::CH_STATUS) status_d = status_d & ~wdata_i[23:0];
      if (ch_rd && addr_i == hermes_xdma_pkg::CH_STATUS_RC) status_d = '0;

      if (m_cmpl) begin
        cmpl_cnt_q <= cmpl_cnt_q + 1'b1;
        if (m_cmpl_ctrl[hermes_xdma_pkg::DESC_COMPLETED] && ctrl_q[hermes_xdma_pkg::ST_DESC_COMPLETED])
          status_d[hermes_xdma_pkg::ST_DESC_COMPLETED] = 1'b1;
        if (m_cmpl_ctrl[hermes_xdma_pkg::DESC_STOP] && ctrl_q[hermes_xdma_pkg::ST_DESC_STOPPED])
          status_d[hermes_xdma_pkg::ST_DESC_STOPPED] = 1'b1;
      end
      if (finish) begin
        busy_q <= 1'b0;
        status_d = status_d | err_bits;
      end
      if (start) begin
        busy_q     <= 1'b1;
        status_d   = '0;
        cmpl_cnt_q <= '0;
      end
      status_d[hermes_xdma_pkg::ST_BUSY] = 1'b0;
      status_q <= status_d;

      if (ch_wr) begin
        unique case (addr_i)
          hermes_xdma_pkg::CH_POLL_LO:   poll_q[31:0]  <= wdata_i;
          hermes_xdma_pkg::CH_POLL_HI:   poll_q[63:32] <= wdata_i;
          hermes_xdma_pkg::CH_IMASK:     imask_q <= wdata_i[23:0];
          hermes_xdma_pkg::CH_IMASK_W1S: imask_q <= imask_q | wdata_i[23:0];
          hermes_xdma_pkg::CH_IMASK_W1C: imask_q <= imask_q & ~wdata_i[23:0];
          hermes_xdma_pkg::CH_PERF_CTRL: perf_ctrl_q <= {wdata_i[hermes_xdma_pkg::PERF_AUTO], 1'b0, wdata_i[hermes_xdma_pkg::PERF_RUN]};
          default: ;
        endcase
      end
      if (perf_ctrl_q[hermes_xdma_pkg::PERF_RUN] || (perf_ctrl_q[hermes_xdma_pkg::PERF_AUTO] && busy_q)) begin
        perf_cyc_q <= perf_cyc_q + 1'b1;
        if (m_beat) perf_dat_q <= perf_dat_q + 1'b1;
      end
      if (ch_wr && addr_i == hermes_xdma_pkg::CH_PERF_CTRL && wdata_i[hermes_xdma_pkg::PERF_CLEAR]) begin
        perf_cyc_q <= '0;
        perf_dat_q <= '0;
      end

      if (sg_wr) begin
        unique case (addr_i)
          hermes_xdma_pkg::SG_DESC_LO:  sg_lo_q   <= wdata_i;
          hermes_xdma_pkg::SG_DESC_HI:  sg_hi_q   <= wdata_i;
          hermes_xdma_pkg::SG_DESC_ADJ: sg_adj_q  <= wdata_i[5:0];
          hermes_xdma_pkg::SG_CREDITS:  credits_q <= wdata_i[9:0];
          default: ;
        endcase
      end
    end
  end

  always_comb begin
    unique case (addr_i)
      hermes_xdma_pkg::CH_ID:                  ch_rdata_o = ChId;
      hermes_xdma_pkg::CH_CTRL, hermes_xdma_pkg::CH_CTRL_W1S, hermes_xdma_pkg::CH_CTRL_W1C: ch_rdata_o = {4'b0, ctrl_q};
      hermes_xdma_pkg::CH_STATUS, hermes_xdma_pkg::CH_STATUS_RC: ch_rdata_o = {8'b0, status_q[23:1], busy_q};
      hermes_xdma_pkg::CH_CMPL_CNT:            ch_rdata_o = cmpl_cnt_q;
      hermes_xdma_pkg::CH_ALIGN:               ch_rdata_o = Align;
      hermes_xdma_pkg::CH_POLL_LO:             ch_rdata_o = poll_q[31:0];
      hermes_xdma_pkg::CH_POLL_HI:             ch_rdata_o = poll_q[63:32];
      hermes_xdma_pkg::CH_IMASK, hermes_xdma_pkg::CH_IMASK_W1S, hermes_xdma_pkg::CH_IMASK_W1C: ch_rdata_o = {8'b0, imask_q};
      hermes_xdma_pkg::CH_PERF_CTRL:           ch_rdata_o = {29'b0, perf_ctrl_q};
      hermes_xdma_pkg::CH_PERF_CYC_LO:         ch_rdata_o = perf_cyc_q[31:0];
      hermes_xdma_pkg::CH_PERF_CYC_HI:         ch_rdata_o = perf_cyc_q[63:32];
      hermes_xdma_pkg::CH_PERF_DAT_LO:         ch_rdata_o = perf_dat_q[31:0];
      hermes_xdma_pkg::CH_PERF_DAT_HI:         ch_rdata_o = perf_dat_q[63:32];
      default:                ch_rdata_o = '0;
    endcase
    unique case (addr_i)
      8'h00:       sg_rdata_o = SgId;
      hermes_xdma_pkg::SG_DESC_LO:  sg_rdata_o = sg_lo_q;
      hermes_xdma_pkg::SG_DESC_HI:  sg_rdata_o = sg_hi_q;
      hermes_xdma_pkg::SG_DESC_ADJ: sg_rdata_o = {26'b0, sg_adj_q};
      hermes_xdma_pkg::SG_CREDITS:  sg_rdata_o = {22'b0, credits_q};
      default:     sg_rdata_o = '0;
    endcase
  end

  assign irq_o  = (status_q[23:1] & imask_q[23:1]) != '0;
  assign busy_o = busy_q;

  logic unused;
  assign unused = ^{sg_req_i && !we_i, status_q[0]};

endmodule
