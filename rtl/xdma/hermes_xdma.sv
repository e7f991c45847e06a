// SPDX-License-Identifier: MIT
// XDMA block: BAR2 registers (PG195 subset, AXI-Lite), NUM_H2C + NUM_C2H
// scatter-gather channels, the IRQ block, and the shared ports: one AXI4
// master (512 bits) towards host memory and one line port into card memory.
//
// AXI IDs are {c2h, channel[1:0], descriptor}; responses are routed back by
// ID. A card reset (hermes_card_reset) stops the channels (stop_i) until
// they have drained (busy_o low), then resets everything but the BAR2
// bridge (core_rst_ni), refusing register writes meanwhile (hold_i).
// Read requests of all channels (descriptor and data) are arbitrated
// round robin, so are write bursts (C2H) whose W beats follow in AW order,
// and line-port requests. Card-memory reads are answered in order.
module hermes_xdma #(
  parameter int unsigned NUM_H2C    = 1,
  parameter int unsigned NUM_C2H    = 1,
  parameter int unsigned NUM_USR    = 4,
  parameter int unsigned CARD_BYTES = 32'h0110_0000,
  parameter int unsigned LINE_AW    = 19,
  parameter int unsigned MAX_RD     = 16,  // outstanding bursts per channel
  parameter int unsigned MAX_BURST  = 16   // beats per burst (power of 2, <= 64)
) (
  input  logic               clk_i,
  input  logic               rst_ni,       // everything
  input  logic               core_rst_ni,  // all but the BAR2 bridge
  input  logic               stop_i,
  input  logic               hold_i,
  output logic               busy_o,

  // BAR2: AXI4-Lite slave.
  input  logic [15:0]        s_awaddr_i,
  input  logic               s_awvalid_i,
  output logic               s_awready_o,
  input  logic [31:0]        s_wdata_i,
  input  logic [3:0]         s_wstrb_i,
  input  logic               s_wvalid_i,
  output logic               s_wready_o,
  output logic [1:0]         s_bresp_o,
  output logic               s_bvalid_o,
  input  logic               s_bready_i,
  input  logic [15:0]        s_araddr_i,
  input  logic               s_arvalid_i,
  output logic               s_arready_o,
  output logic [31:0]        s_rdata_o,
  output logic [1:0]         s_rresp_o,
  output logic               s_rvalid_o,
  input  logic               s_rready_i,

  // AXI4 master towards host memory.
  output logic [3:0]         m_arid_o,
  output logic [63:0]        m_araddr_o,
  output logic [7:0]         m_arlen_o,
  output logic [2:0]         m_arsize_o,
  output logic [1:0]         m_arburst_o,
  output logic               m_arvalid_o,
  input  logic               m_arready_i,
  input  logic [3:0]         m_rid_i,
  input  logic [511:0]       m_rdata_i,
  input  logic [1:0]         m_rresp_i,
  input  logic               m_rlast_i,
  input  logic               m_rvalid_i,
  output logic               m_rready_o,
  output logic [3:0]         m_awid_o,
  output logic [63:0]        m_awaddr_o,
  output logic [7:0]         m_awlen_o,
  output logic [2:0]         m_awsize_o,
  output logic [1:0]         m_awburst_o,
  output logic               m_awvalid_o,
  input  logic               m_awready_i,
  output logic [511:0]       m_wdata_o,
  output logic [63:0]        m_wstrb_o,
  output logic               m_wlast_o,
  output logic               m_wvalid_o,
  input  logic               m_wready_i,
  input  logic [3:0]         m_bid_i,
  input  logic [1:0]         m_bresp_i,
  input  logic               m_bvalid_i,
  output logic               m_bready_o,

  // Card memory line port (hermes_slot_mem DMA port).
  output logic               lp_req_o,
  output logic               lp_we_o,
  output logic [LINE_AW-1:0] lp_addr_o,
  output logic [511:0]       lp_wdata_o,
  output logic [63:0]        lp_be_o,
  input  logic               lp_gnt_i,
  input  logic               lp_rvalid_i,
  input  logic [511:0]       lp_rdata_i,

  // Interrupts: user requests in, pending lines and acknowledges out
  // (usr_irq_ack: one clock once a request's message went out, PG195).
  input  logic [NUM_USR-1:0]         usr_irq_req_i,
  output logic [NUM_USR-1:0]         usr_irq_o,
  output logic [NUM_USR-1:0]         usr_irq_ack_o,
  output logic [NUM_H2C+NUM_C2H-1:0] chan_irq_o
);

  localparam int unsigned NCh  = NUM_H2C + NUM_C2H;
  localparam int unsigned ChW  = (NCh > 1) ? $clog2(NCh) : 1;
  localparam int unsigned NAr  = 2 * NCh;
  localparam int unsigned ArW  = $clog2(NAr);
  localparam int unsigned WOrderDepth = 8;
  // Card-memory reads in flight: up to each C2H channel's window
  // (hermes_xdma_c2h RfDepth, 8 lines), so one tag per line always fits.
  localparam int unsigned RdTagDepth  = 8 * NCh;
  localparam logic [31:0] CfgId = {hermes_xdma_pkg::SUBSYS_ID, hermes_xdma_pkg::TGT_CFG,
                                   8'h00, hermes_xdma_pkg::IP_VERSION};
  localparam logic [31:0] SgCommonId = {hermes_xdma_pkg::SUBSYS_ID,
                                        hermes_xdma_pkg::TGT_SG_COMMON,
                                        8'h00, hermes_xdma_pkg::IP_VERSION};

  // ---- BAR2 register bus ----
  logic        bus_req, reg_req, reg_we, reg_err, dec_err;
  logic [15:0] reg_addr;
  logic [31:0] reg_wdata, reg_rdata;
  logic [3:0]  reg_wstrb;

  hermes_axil_regbus #(.ADDR_W(16)) u_bridge (
    .clk_i,
    .rst_ni,
    .s_awaddr_i,
    .s_awvalid_i,
    .s_awready_o,
    .s_wdata_i,
    .s_wstrb_i,
    .s_wvalid_i,
    .s_wready_o,
    .s_bresp_o,
    .s_bvalid_o,
    .s_bready_i,
    .s_araddr_i,
    .s_arvalid_i,
    .s_arready_o,
    .s_rdata_o,
    .s_rresp_o,
    .s_rvalid_o,
    .s_rready_i,
    .req_o   (bus_req),
    .we_o    (reg_we),
    .addr_o  (reg_addr),
    .wdata_o (reg_wdata),
    .wstrb_o (reg_wstrb),
    .rdata_i (reg_rdata),
    .err_i   (reg_err)
  );

  // Writes while a card reset holds the block are refused.
  assign reg_req = bus_req && !(hold_i && reg_we);
  assign reg_err = dec_err || (hold_i && reg_we);

  logic [3:0] tgt, sel;
  logic [7:0] off;
  assign tgt = reg_addr[15:12];
  assign sel = reg_addr[11:8];
  assign off = reg_addr[7:0];

  // ---- channels ----
  logic [NCh-1:0]   ch_req, sg_req, ch_irq, ch_busy;
  logic [31:0]      ch_rdata [NCh];
  logic [31:0]      sg_rdata [NCh];
  logic [NCh-1:0]   dar_valid, dar_ready, dr_valid, dr_ready;
  logic [63:0]      dar_addr [NCh];
  logic [NCh-1:0]   ar_valid, ar_ready, r_valid, r_ready;
  logic [63:0]      ar_addr [NCh];
  logic [7:0]       ar_len [NCh];
  logic [NCh-1:0]   aw_valid, aw_ready, w_valid, w_ready, w_last, b_valid;
  logic [63:0]      aw_addr [NCh];
  logic [7:0]       aw_len [NCh];
  logic [511:0]     w_data [NCh];
  logic [63:0]      w_strb [NCh];
  logic [NCh-1:0]   lp_req, lp_we, lp_gnt, lp_rvalid;
  logic [NCh-1:0]   b_ready_unused;
  logic [LINE_AW-1:0] lp_addr [NCh];
  logic [511:0]     lp_wdata [NCh];
  logic [63:0]      lp_be [NCh];

  for (genvar k = 0; k < NCh; k++) begin : g_ch
    localparam bit IsC2h = k >= NUM_H2C;
    localparam int unsigned Chan = IsC2h ? k - NUM_H2C : k;

    assign ch_req[k] = reg_req && tgt == (IsC2h ? hermes_xdma_pkg::TGT_C2H
                                                : hermes_xdma_pkg::TGT_H2C) && sel == 4'(Chan);
    assign sg_req[k] = reg_req && tgt == (IsC2h ? hermes_xdma_pkg::TGT_C2H_SG
                                                : hermes_xdma_pkg::TGT_H2C_SG) && sel == 4'(Chan);

    hermes_xdma_chan #(
      .C2H        (IsC2h),
      .CHAN       (Chan),
      .CARD_BYTES (CARD_BYTES),
      .LINE_AW    (LINE_AW),
      .MAX_RD     (MAX_RD),
      .MAX_BURST  (MAX_BURST)
    ) u_chan (
      .clk_i,
      .rst_ni      (core_rst_ni),
      .stop_i,
      .ch_req_i    (ch_req[k]),
      .sg_req_i    (sg_req[k]),
      .we_i        (reg_we),
      .addr_i      (off),
      .wdata_i     (reg_wdata),
      .ch_rdata_o  (ch_rdata[k]),
      .sg_rdata_o  (sg_rdata[k]),
      .dar_valid_o (dar_valid[k]),
      .dar_addr_o  (dar_addr[k]),
      .dar_ready_i (dar_ready[k]),
      .dr_valid_i  (dr_valid[k]),
      .r_data_i    (m_rdata_i),
      .r_resp_i    (m_rresp_i),
      .r_last_i    (m_rlast_i),
      .dr_ready_o  (dr_ready[k]),
      .ar_valid_o  (ar_valid[k]),
      .ar_addr_o   (ar_addr[k]),
      .ar_len_o    (ar_len[k]),
      .ar_ready_i  (ar_ready[k]),
      .r_valid_i   (r_valid[k]),
      .r_ready_o   (r_ready[k]),
      .aw_valid_o  (aw_valid[k]),
      .aw_addr_o   (aw_addr[k]),
      .aw_len_o    (aw_len[k]),
      .aw_ready_i  (aw_ready[k]),
      .w_valid_o   (w_valid[k]),
      .w_data_o    (w_data[k]),
      .w_strb_o    (w_strb[k]),
      .w_last_o    (w_last[k]),
      .w_ready_i   (w_ready[k]),
      .b_valid_i   (b_valid[k]),
      .b_resp_i    (m_bresp_i),
      .b_ready_o   (b_ready_unused[k]),
      .lp_req_o    (lp_req[k]),
      .lp_we_o     (lp_we[k]),
      .lp_addr_o   (lp_addr[k]),
      .lp_wdata_o  (lp_wdata[k]),
      .lp_be_o     (lp_be[k]),
      .lp_gnt_i    (lp_gnt[k]),
      .lp_rvalid_i (lp_rvalid[k]),
      .lp_rdata_i  (lp_rdata_i),
      .irq_o       (ch_irq[k]),
      .busy_o      (ch_busy[k])
    );
  end

  // ---- register read mux ----
  logic        irq_req;
  logic [31:0] irq_rdata;

  assign irq_req = reg_req && tgt == hermes_xdma_pkg::TGT_IRQ;

  always_comb begin
    reg_rdata = '0;
    dec_err   = 1'b0;
    unique case (tgt)
      hermes_xdma_pkg::TGT_H2C, hermes_xdma_pkg::TGT_C2H: begin
        for (int unsigned k = 0; k < NCh; k++)
          if (ch_req[k]) reg_rdata = ch_rdata[k];
      end
      hermes_xdma_pkg::TGT_H2C_SG, hermes_xdma_pkg::TGT_C2H_SG: begin
        for (int unsigned k = 0; k < NCh; k++)
          if (sg_req[k]) reg_rdata = sg_rdata[k];
      end
      hermes_xdma_pkg::TGT_IRQ: reg_rdata = irq_rdata;
      hermes_xdma_pkg::TGT_CFG: begin
        if (off == 8'h00) reg_rdata = CfgId;
        else if (off == hermes_xdma_pkg::CFG_DATA_WIDTH) reg_rdata = 32'd3;
      end
      hermes_xdma_pkg::TGT_SG_COMMON: begin
        if (off == 8'h00) reg_rdata = SgCommonId;
      end
      default: dec_err = 1'b1;
    endcase
  end

  hermes_xdma_irq #(.NUM_USR(NUM_USR), .NUM_CH(NCh)) u_irq (
    .clk_i,
    .rst_ni  (core_rst_ni),
    .req_i      (irq_req),
    .we_i       (reg_we),
    .addr_i     (off),
    .wdata_i    (reg_wdata),
    .rdata_o    (irq_rdata),
    .usr_req_i  (usr_irq_req_i),
    .ch_req_i   (ch_irq),
    .usr_pend_o (usr_irq_o),
    .usr_ack_o  (usr_irq_ack_o),
    .ch_pend_o  (chan_irq_o)
  );

  // ---- AR arbitration: requester 2k data, 2k+1 descriptor ----
  logic [NAr-1:0] ar_req, ar_gnt;
  logic [ArW-1:0] ar_idx;
  logic           ar_any;

  for (genvar k = 0; k < NCh; k++) begin : g_arreq
    assign ar_req[2*k]     = ar_valid[k];
    assign ar_req[2*k + 1] = dar_valid[k];
    assign ar_ready[k]     = ar_gnt[2*k] && m_arready_i;
    assign dar_ready[k]    = ar_gnt[2*k + 1] && m_arready_i;
  end

  hermes_xdma_rr_arb #(.N(NAr)) u_ar_arb (
    .clk_i,
    .rst_ni  (core_rst_ni),
    .req_i   (ar_req),
    .ack_i   (m_arready_i),
    .gnt_o   (ar_gnt),
    .idx_o   (ar_idx),
    .valid_o (ar_any)
  );

  function automatic logic [3:0] axi_id(logic [31:0] k, logic desc);
    logic c2h;
    logic [1:0] chan;
    c2h  = k >= NUM_H2C;
    chan = 2'(c2h ? k - NUM_H2C : k);
    axi_id = {c2h, chan, desc};
  endfunction

  always_comb begin
    int unsigned k;
    k = 32'(ar_idx) / 2;
    m_arvalid_o = ar_any;
    m_arid_o    = axi_id(k, ar_idx[0]);
    m_araddr_o  = ar_idx[0] ? dar_addr[k] : ar_addr[k];
    m_arlen_o   = ar_idx[0] ? 8'd0 : ar_len[k];
  end
  assign m_arsize_o  = 3'd6;
  assign m_arburst_o = 2'b01;

  // ---- R routing by ID ----
  function automatic logic [31:0] id_chan(logic [3:1] id);
    id_chan = id[3] ? NUM_H2C + {30'b0, id[2:1]} : {30'b0, id[2:1]};
  endfunction

  // (valid and ready in separate processes: no false combinational loop)
  always_comb begin
    int unsigned k;
    k = id_chan(m_rid_i[3:1]);
    dr_valid = '0;
    r_valid  = '0;
    if (k < NCh) begin
      if (m_rid_i[0]) dr_valid[k] = m_rvalid_i;
      else            r_valid[k]  = m_rvalid_i;
    end
  end

  always_comb begin
    int unsigned k;
    k = id_chan(m_rid_i[3:1]);
    m_rready_o = 1'b1; // responses to unknown IDs are dropped
    if (k < NCh) m_rready_o = m_rid_i[0] ? dr_ready[k] : r_ready[k];
  end

  // ---- AW arbitration (C2H channels) and W in AW order ----
  logic [NCh-1:0] aw_gnt;
  logic [ChW-1:0] aw_idx;
  logic           aw_any, wo_full, wo_empty, wo_pop;
  logic [$clog2(WOrderDepth+1)-1:0] wo_count;
  logic [ChW-1:0] wo_head;

  hermes_xdma_rr_arb #(.N(NCh)) u_aw_arb (
    .clk_i,
    .rst_ni  (core_rst_ni),
    .req_i   (aw_valid),
    .ack_i   (m_awready_i && !wo_full),
    .gnt_o   (aw_gnt),
    .idx_o   (aw_idx),
    .valid_o (aw_any)
  );

  assign m_awvalid_o = aw_any && !wo_full;
  assign m_awid_o    = axi_id(32'(aw_idx), 1'b0);
  assign m_awaddr_o  = aw_addr[aw_idx];
  assign m_awlen_o   = aw_len[aw_idx];
  assign m_awsize_o  = 3'd6;
  assign m_awburst_o = 2'b01;
  for (genvar k = 0; k < NCh; k++) begin : g_awready
    assign aw_ready[k] = aw_gnt[k] && m_awready_i && !wo_full;
    assign w_ready[k]  = !wo_empty && wo_head == ChW'(k) && m_wready_i;
  end

  hermes_xdma_fifo #(.WIDTH(ChW), .DEPTH(WOrderDepth)) u_worder (
    .clk_i,
    .rst_ni  (core_rst_ni),
    .flush_i (1'b0),
    .push_i  (m_awvalid_o && m_awready_i),
    .wdata_i (aw_idx),
    .pop_i   (wo_pop),
    .rdata_o (wo_head),
    .empty_o (wo_empty),
    .full_o  (wo_full),
    .count_o (wo_count)
  );

  assign m_wvalid_o = !wo_empty && w_valid[wo_head];
  assign m_wdata_o  = w_data[wo_head];
  assign m_wstrb_o  = w_strb[wo_head];
  assign m_wlast_o  = w_last[wo_head];
  assign wo_pop     = m_wvalid_o && m_wready_i && m_wlast_o;

  always_comb begin
    int unsigned k;
    k = id_chan(m_bid_i[3:1]);
    b_valid = '0;
    if (k < NCh) b_valid[k] = m_bvalid_i;
  end
  assign m_bready_o = 1'b1;

  // ---- card memory line port ----
  logic [ChW-1:0] lp_idx;
  logic           lp_any, tag_empty, tag_full;
  logic [NCh-1:0] lp_gnt_unused;
  logic [$clog2(RdTagDepth+1)-1:0] tag_count;
  logic [ChW-1:0] tag_head;

  hermes_xdma_rr_arb #(.N(NCh)) u_lp_arb (
    .clk_i,
    .rst_ni  (core_rst_ni),
    .req_i   (lp_req),
    .ack_i   (lp_gnt_i),
    .gnt_o   (lp_gnt_unused),
    .idx_o   (lp_idx),
    .valid_o (lp_any)
  );

  assign lp_req_o   = lp_any;
  assign lp_we_o    = lp_we[lp_idx];
  assign lp_addr_o  = lp_addr[lp_idx];
  assign lp_wdata_o = lp_wdata[lp_idx];
  assign lp_be_o    = lp_be[lp_idx];
  for (genvar k = 0; k < NCh; k++) begin : g_lpgnt
    assign lp_gnt[k]    = lp_any && lp_idx == ChW'(k) && lp_gnt_i;
    assign lp_rvalid[k] = lp_rvalid_i && !tag_empty && tag_head == ChW'(k);
  end

  // Read responses come back in order, one per granted read.
  hermes_xdma_fifo #(.WIDTH(ChW), .DEPTH(RdTagDepth)) u_rdtag (
    .clk_i,
    .rst_ni  (core_rst_ni),
    .flush_i (1'b0),
    .push_i  (lp_any && lp_gnt_i && !lp_we_o),
    .wdata_i (lp_idx),
    .pop_i   (lp_rvalid_i),
    .rdata_o (tag_head),
    .empty_o (tag_empty),
    .full_o  (tag_full),
    .count_o (tag_count)
  );

  logic unused;
  assign busy_o = ch_busy != '0;

  assign unused = ^{reg_wstrb, m_rlast_i, m_bid_i[0], b_ready_unused, wo_count,
                   lp_gnt_unused, tag_full, tag_count};

`ifndef SYNTHESIS
  // A granted card-memory read always finds room for its tag.
  always_ff @(posedge clk_i) begin
    if (core_rst_ni) assert (!(lp_any && lp_gnt_i && !lp_we_o) || !tag_full || lp_rvalid_i)
      else $error("hermes_xdma: read tag FIFO overflow");
  end
`endif

endmodule
