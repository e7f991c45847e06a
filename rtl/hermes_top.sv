// SPDX-License-Identifier: MIT
// The simulated card: the shell model around the card (hermes_card), what
// the C harness (sim/) verilates. The shell model is the XDMA block (BAR2
// register block, H2C/C2H scatter-gather channels, IRQ block) with its AXI4
// master towards host memory; it reaches the slot memory only through the
// card's BAR4 AXI4 slave (hermes_xdma_card_axi), as the F1 shell's DMA
// engine reaches a CL through sh_cl_dma_pcis. BAR0 and the user interrupts
// are the card's own. The XDMA block takes part in a card reset through the
// card's shell_dma_* pins (docs/RTL_INTERFACES.md).
module hermes_top #(
  parameter int unsigned  NUM_ENGINES     = hermes_pkg::DEFAULT_ENGINES,
  parameter int unsigned  NUM_PROG_SLOTS  = hermes_pkg::DEFAULT_PROG_SLOTS,
  parameter int unsigned  NUM_DATA_SLOTS  = hermes_pkg::DEFAULT_DATA_SLOTS,
  parameter int unsigned  PROG_SLOT_BYTES = hermes_pkg::DEFAULT_PROG_SLOT_SIZE,
  parameter int unsigned  DATA_SLOT_BYTES = hermes_pkg::DEFAULT_DATA_SLOT_SIZE,
  parameter int unsigned  MAX_INSNS       = hermes_pkg::DEFAULT_MAX_INSNS,
  parameter int unsigned  NUM_QUEUES      = hermes_pkg::DEFAULT_QUEUES,
  parameter int unsigned  QUEUE_BYTES     = hermes_pkg::DEFAULT_QUEUE_BYTES,
  parameter int unsigned  MAP_SLOT_BYTES  = hermes_pkg::DEFAULT_MAP_SLOT_SIZE,
  parameter logic [383:0] BUILD_ID        = '0,
  parameter int unsigned  NUM_H2C         = 1,   // XDMA channels, 1..4 each
  parameter int unsigned  NUM_C2H         = 1,
  parameter int unsigned  DMA_MAX_RD      = 16,  // outstanding read bursts per channel
  parameter int unsigned  DMA_MAX_BURST   = 16,  // beats (64 B) per burst, power of 2, <= 64
  parameter bit           PORT_QUEUE      = 1'b1 // engine ports queued at the slot memory (docs/RTL_INTERFACES.md)
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,

  // BAR0: AXI4-Lite slave (XDMA M_AXI_LITE user BAR).
  input  logic [15:0]            bar0_awaddr_i,
  input  logic                   bar0_awvalid_i,
  output logic                   bar0_awready_o,
  input  logic [31:0]            bar0_wdata_i,
  input  logic [3:0]             bar0_wstrb_i,
  input  logic                   bar0_wvalid_i,
  output logic                   bar0_wready_o,
  output logic [1:0]             bar0_bresp_o,
  output logic                   bar0_bvalid_o,
  input  logic                   bar0_bready_i,
  input  logic [15:0]            bar0_araddr_i,
  input  logic                   bar0_arvalid_i,
  output logic                   bar0_arready_o,
  output logic [31:0]            bar0_rdata_o,
  output logic [1:0]             bar0_rresp_o,
  output logic                   bar0_rvalid_o,
  input  logic                   bar0_rready_i,

  // BAR2: XDMA register block, AXI4-Lite slave.
  input  logic [15:0]            bar2_awaddr_i,
  input  logic                   bar2_awvalid_i,
  output logic                   bar2_awready_o,
  input  logic [31:0]            bar2_wdata_i,
  input  logic [3:0]             bar2_wstrb_i,
  input  logic                   bar2_wvalid_i,
  output logic                   bar2_wready_o,
  output logic [1:0]             bar2_bresp_o,
  output logic                   bar2_bvalid_o,
  input  logic                   bar2_bready_i,
  input  logic [15:0]            bar2_araddr_i,
  input  logic                   bar2_arvalid_i,
  output logic                   bar2_arready_o,
  output logic [31:0]            bar2_rdata_o,
  output logic [1:0]             bar2_rresp_o,
  output logic                   bar2_rvalid_o,
  input  logic                   bar2_rready_i,

  // DMA towards host memory: AXI4 master, 512-bit data.
  output logic [3:0]             host_arid_o,
  output logic [63:0]            host_araddr_o,
  output logic [7:0]             host_arlen_o,
  output logic [2:0]             host_arsize_o,
  output logic [1:0]             host_arburst_o,
  output logic                   host_arvalid_o,
  input  logic                   host_arready_i,
  input  logic [3:0]             host_rid_i,
  input  logic [511:0]           host_rdata_i,
  input  logic [1:0]             host_rresp_i,
  input  logic                   host_rlast_i,
  input  logic                   host_rvalid_i,
  output logic                   host_rready_o,
  output logic [3:0]             host_awid_o,
  output logic [63:0]            host_awaddr_o,
  output logic [7:0]             host_awlen_o,
  output logic [2:0]             host_awsize_o,
  output logic [1:0]             host_awburst_o,
  output logic                   host_awvalid_o,
  input  logic                   host_awready_i,
  output logic [511:0]           host_wdata_o,
  output logic [63:0]            host_wstrb_o,
  output logic                   host_wlast_o,
  output logic                   host_wvalid_o,
  input  logic                   host_wready_i,
  input  logic [3:0]             host_bid_i,
  input  logic [1:0]             host_bresp_i,
  input  logic                   host_bvalid_i,
  output logic                   host_bready_o,

  // User interrupts (XDMA usr_irq_req): engine e is vector e, a level held
  // until its DONE is acknowledged; hardware queue q vector NUM_ENGINES + q,
  // an event per moderation trigger held only until the XDMA model's
  // usr_irq_ack (the harness counts those acks as the host's interrupts).
  output logic [NUM_ENGINES+NUM_QUEUES-1:0] usr_irq_o,
  // The XDMA model's usr_irq_ack: one clock when a request's message went
  // out (PG195 MSI: once per rise, while its vector is enabled in BAR2).
  output logic [NUM_ENGINES+NUM_QUEUES-1:0] usr_irq_ack_o,
  // DMA channel interrupts pending in the XDMA IRQ block (H2C, then C2H).
  output logic [NUM_H2C+NUM_C2H-1:0] chan_irq_o,

  // Retire records of every engine (docs/ISA.md), engine e in slice e: the
  // co-simulation and instruction-trace port.
  output logic [NUM_ENGINES-1:0]     rvfi_valid_o,
  output logic [NUM_ENGINES*32-1:0]  rvfi_pc_o,
  output logic [NUM_ENGINES*64-1:0]  rvfi_insn_o,
  output logic [NUM_ENGINES*8-1:0]   rvfi_rd_o,
  output logic [NUM_ENGINES*64-1:0]  rvfi_rd_value_o,
  output logic [NUM_ENGINES*2-1:0]   rvfi_mem_kind_o,
  output logic [NUM_ENGINES*4-1:0]   rvfi_mem_size_o,
  output logic [NUM_ENGINES*64-1:0]  rvfi_mem_addr_o,
  output logic [NUM_ENGINES*64-1:0]  rvfi_mem_value_o
);

  localparam int unsigned CardBytes = NUM_PROG_SLOTS * PROG_SLOT_BYTES +
                                      NUM_DATA_SLOTS * DATA_SLOT_BYTES + QUEUE_BYTES +
                                      NUM_PROG_SLOTS * MAP_SLOT_BYTES;
  localparam int unsigned LineAw    = $clog2(CardBytes / 64);
  localparam int unsigned IdW       = 6;

  // BAR4 between the shell model and the card.
  logic [IdW-1:0]   c_awid, c_bid, c_arid, c_rid;
  logic [63:0]      c_awaddr, c_araddr;
  logic [7:0]       c_awlen, c_arlen;
  logic [2:0]       c_awsize, c_arsize;
  logic [1:0]       c_awburst, c_arburst, c_bresp, c_rresp;
  logic             c_awvalid, c_awready, c_wlast, c_wvalid, c_wready, c_bvalid, c_bready;
  logic             c_arvalid, c_arready, c_rlast, c_rvalid, c_rready;
  logic [511:0]     c_wdata, c_rdata;
  logic [63:0]      c_wstrb;

  // The card's reset handshake with the shell's DMA engine.
  logic             dma_stop, dma_hold, dma_rst_n, xdma_busy, bridge_busy;

  hermes_card #(
    .NUM_ENGINES     (NUM_ENGINES),
    .NUM_PROG_SLOTS  (NUM_PROG_SLOTS),
    .NUM_DATA_SLOTS  (NUM_DATA_SLOTS),
    .PROG_SLOT_BYTES (PROG_SLOT_BYTES),
    .DATA_SLOT_BYTES (DATA_SLOT_BYTES),
    .MAX_INSNS       (MAX_INSNS),
    .NUM_QUEUES      (NUM_QUEUES),
    .QUEUE_BYTES     (QUEUE_BYTES),
    .MAP_SLOT_BYTES  (MAP_SLOT_BYTES),
    .BUILD_ID        (BUILD_ID),
    .ID_W            (IdW),
    .PORT_QUEUE      (PORT_QUEUE)
  ) u_card (
    .clk_i,
    .rst_ni,
    .bar0_awaddr_i    (32'(bar0_awaddr_i)),
    .bar0_awvalid_i,
    .bar0_awready_o,
    .bar0_wdata_i,
    .bar0_wstrb_i,
    .bar0_wvalid_i,
    .bar0_wready_o,
    .bar0_bresp_o,
    .bar0_bvalid_o,
    .bar0_bready_i,
    .bar0_araddr_i    (32'(bar0_araddr_i)),
    .bar0_arvalid_i,
    .bar0_arready_o,
    .bar0_rdata_o,
    .bar0_rresp_o,
    .bar0_rvalid_o,
    .bar0_rready_i,
    .bar4_awid_i      (c_awid),
    .bar4_awaddr_i    (c_awaddr),
    .bar4_awlen_i     (c_awlen),
    .bar4_awsize_i    (c_awsize),
    .bar4_awburst_i   (c_awburst),
    .bar4_awvalid_i   (c_awvalid),
    .bar4_awready_o   (c_awready),
    .bar4_wdata_i     (c_wdata),
    .bar4_wstrb_i     (c_wstrb),
    .bar4_wlast_i     (c_wlast),
    .bar4_wvalid_i    (c_wvalid),
    .bar4_wready_o    (c_wready),
    .bar4_bid_o       (c_bid),
    .bar4_bresp_o     (c_bresp),
    .bar4_bvalid_o    (c_bvalid),
    .bar4_bready_i    (c_bready),
    .bar4_arid_i      (c_arid),
    .bar4_araddr_i    (c_araddr),
    .bar4_arlen_i     (c_arlen),
    .bar4_arsize_i    (c_arsize),
    .bar4_arburst_i   (c_arburst),
    .bar4_arvalid_i   (c_arvalid),
    .bar4_arready_o   (c_arready),
    .bar4_rid_o       (c_rid),
    .bar4_rdata_o     (c_rdata),
    .bar4_rresp_o     (c_rresp),
    .bar4_rlast_o     (c_rlast),
    .bar4_rvalid_o    (c_rvalid),
    .bar4_rready_i    (c_rready),
    .host_awid_o      (),
    .host_awaddr_o    (),
    .host_awlen_o     (),
    .host_awsize_o    (),
    .host_awburst_o   (),
    .host_awvalid_o   (),
    .host_awready_i   (1'b0),
    .host_wdata_o     (),
    .host_wstrb_o     (),
    .host_wlast_o     (),
    .host_wvalid_o    (),
    .host_wready_i    (1'b0),
    .host_bid_i       ('0),
    .host_bresp_i     ('0),
    .host_bvalid_i    (1'b0),
    .host_bready_o    (),
    .host_arid_o      (),
    .host_araddr_o    (),
    .host_arlen_o     (),
    .host_arsize_o    (),
    .host_arburst_o   (),
    .host_arvalid_o   (),
    .host_arready_i   (1'b0),
    .host_rid_i       ('0),
    .host_rdata_i     ('0),
    .host_rresp_i     ('0),
    .host_rlast_i     (1'b0),
    .host_rvalid_i    (1'b0),
    .host_rready_o    (),
    .irq_req_o        (usr_irq_o[NUM_ENGINES-1:0]),
    .queue_irq_o      (usr_irq_o[NUM_ENGINES +: NUM_QUEUES]),
    .queue_irq_ack_i  (usr_irq_ack_o[NUM_ENGINES +: NUM_QUEUES]),
    .irq_ack_i        (usr_irq_ack_o[NUM_ENGINES-1:0]),
    .shell_dma_stop_o (dma_stop),
    .shell_dma_hold_o (dma_hold),
    .shell_dma_rst_no (dma_rst_n),
    .shell_dma_busy_i (xdma_busy || bridge_busy),
    .rvfi_valid_o,
    .rvfi_pc_o,
    .rvfi_insn_o,
    .rvfi_rd_o,
    .rvfi_rd_value_o,
    .rvfi_mem_kind_o,
    .rvfi_mem_size_o,
    .rvfi_mem_addr_o,
    .rvfi_mem_value_o
  );

  // ---- the shell model: XDMA block and its path into BAR4 ----
  logic               xdma_req, xdma_we, xdma_gnt, xdma_rvalid;
  logic [LineAw-1:0]  xdma_addr;
  logic [511:0]       xdma_wdata, xdma_rdata;
  logic [63:0]        xdma_be;
  logic [NUM_ENGINES+NUM_QUEUES-1:0] usr_irq_pend;

  hermes_xdma #(
    .NUM_H2C    (NUM_H2C),
    .NUM_C2H    (NUM_C2H),
    .NUM_USR    (NUM_ENGINES + NUM_QUEUES),
    .CARD_BYTES (CardBytes),
    .LINE_AW    (LineAw),
    .MAX_RD     (DMA_MAX_RD),
    .MAX_BURST  (DMA_MAX_BURST)
  ) u_xdma (
    .clk_i,
    .rst_ni,
    .core_rst_ni   (dma_rst_n),
    .stop_i        (dma_stop),
    .hold_i        (dma_hold),
    .busy_o        (xdma_busy),
    .s_awaddr_i    (bar2_awaddr_i),
    .s_awvalid_i   (bar2_awvalid_i),
    .s_awready_o   (bar2_awready_o),
    .s_wdata_i     (bar2_wdata_i),
    .s_wstrb_i     (bar2_wstrb_i),
    .s_wvalid_i    (bar2_wvalid_i),
    .s_wready_o    (bar2_wready_o),
    .s_bresp_o     (bar2_bresp_o),
    .s_bvalid_o    (bar2_bvalid_o),
    .s_bready_i    (bar2_bready_i),
    .s_araddr_i    (bar2_araddr_i),
    .s_arvalid_i   (bar2_arvalid_i),
    .s_arready_o   (bar2_arready_o),
    .s_rdata_o     (bar2_rdata_o),
    .s_rresp_o     (bar2_rresp_o),
    .s_rvalid_o    (bar2_rvalid_o),
    .s_rready_i    (bar2_rready_i),
    .m_arid_o      (host_arid_o),
    .m_araddr_o    (host_araddr_o),
    .m_arlen_o     (host_arlen_o),
    .m_arsize_o    (host_arsize_o),
    .m_arburst_o   (host_arburst_o),
    .m_arvalid_o   (host_arvalid_o),
    .m_arready_i   (host_arready_i),
    .m_rid_i       (host_rid_i),
    .m_rdata_i     (host_rdata_i),
    .m_rresp_i     (host_rresp_i),
    .m_rlast_i     (host_rlast_i),
    .m_rvalid_i    (host_rvalid_i),
    .m_rready_o    (host_rready_o),
    .m_awid_o      (host_awid_o),
    .m_awaddr_o    (host_awaddr_o),
    .m_awlen_o     (host_awlen_o),
    .m_awsize_o    (host_awsize_o),
    .m_awburst_o   (host_awburst_o),
    .m_awvalid_o   (host_awvalid_o),
    .m_awready_i   (host_awready_i),
    .m_wdata_o     (host_wdata_o),
    .m_wstrb_o     (host_wstrb_o),
    .m_wlast_o     (host_wlast_o),
    .m_wvalid_o    (host_wvalid_o),
    .m_wready_i    (host_wready_i),
    .m_bid_i       (host_bid_i),
    .m_bresp_i     (host_bresp_i),
    .m_bvalid_i    (host_bvalid_i),
    .m_bready_o    (host_bready_o),
    .lp_req_o      (xdma_req),
    .lp_we_o       (xdma_we),
    .lp_addr_o     (xdma_addr),
    .lp_wdata_o    (xdma_wdata),
    .lp_be_o       (xdma_be),
    .lp_gnt_i      (xdma_gnt),
    .lp_rvalid_i   (xdma_rvalid),
    .lp_rdata_i    (xdma_rdata),
    .usr_irq_req_i (usr_irq_o),
    .usr_irq_o     (usr_irq_pend),
    .usr_irq_ack_o (usr_irq_ack_o),
    .chan_irq_o    (chan_irq_o)
  );

  hermes_xdma_card_axi #(
    .ID_W    (IdW),
    .LINE_AW (LineAw),
    .MAX_RD  (DMA_MAX_RD * DMA_MAX_BURST)
  ) u_card_axi (
    .clk_i,
    .rst_ni,
    .lp_req_i    (xdma_req),
    .lp_we_i     (xdma_we),
    .lp_addr_i   (xdma_addr),
    .lp_wdata_i  (xdma_wdata),
    .lp_be_i     (xdma_be),
    .lp_gnt_o    (xdma_gnt),
    .lp_rvalid_o (xdma_rvalid),
    .lp_rdata_o  (xdma_rdata),
    .m_awid_o    (c_awid),
    .m_awaddr_o  (c_awaddr),
    .m_awlen_o   (c_awlen),
    .m_awsize_o  (c_awsize),
    .m_awburst_o (c_awburst),
    .m_awvalid_o (c_awvalid),
    .m_awready_i (c_awready),
    .m_wdata_o   (c_wdata),
    .m_wstrb_o   (c_wstrb),
    .m_wlast_o   (c_wlast),
    .m_wvalid_o  (c_wvalid),
    .m_wready_i  (c_wready),
    .m_bid_i     (c_bid),
    .m_bresp_i   (c_bresp),
    .m_bvalid_i  (c_bvalid),
    .m_bready_o  (c_bready),
    .m_arid_o    (c_arid),
    .m_araddr_o  (c_araddr),
    .m_arlen_o   (c_arlen),
    .m_arsize_o  (c_arsize),
    .m_arburst_o (c_arburst),
    .m_arvalid_o (c_arvalid),
    .m_arready_i (c_arready),
    .m_rid_i     (c_rid),
    .m_rdata_i   (c_rdata),
    .m_rresp_i   (c_rresp),
    .m_rlast_i   (c_rlast),
    .m_rvalid_i  (c_rvalid),
    .m_rready_o  (c_rready),
    .busy_o      (bridge_busy)
  );

  // The XDMA IRQ block's pending vector is read over BAR2; the user
  // interrupt lines are the card's (usr_irq_o).
  logic unused_dma;
  assign unused_dma = ^usr_irq_pend;

endmodule
