// SPDX-License-Identifier: MIT
// Hermes as the user logic of a board with the Xilinx DMA/Bridge Subsystem
// for PCI Express (XDMA IP, PG195) in AXI4 memory-mapped mode: Alveo U200/
// U250/U280 and similar. Its ports carry the IP's user-side names, so a
// block design or a top-level wrapper connects them by name (.*):
//
//   M_AXI_LITE (PCIe to AXI-Lite master, the user BAR) -> card BAR0
//   M_AXI      (the DMA channels' AXI4 master)          -> card BAR4
//   usr_irq_req/usr_irq_ack [NUM_ENGINES+NUM_QUEUES-1:0] <- engine e is vector e,
//                                                           queue q vector NUM_ENGINES + q
//
// The IP is configured with a 512-bit AXI data width (Gen3 x16: 250 MHz
// axi_aclk), 4-bit IDs by default, and a 64 KiB AXI-Lite BAR whose
// translation maps BAR offset 0 to AXI address 0; docs/F1.md ("Alveo")
// lists the settings. The host's card addresses are the M_AXI addresses
// (the xdma driver's h2c/c2h file offsets), as on F1.
//
// usr_irq_req: PG195 asks the user logic to hold a request until the IP's
// usr_irq_ack (one clock: the MSI went out). An engine's vector is a level
// held while its DONE is pending with its IRQ enable (the card ignores
// that ack); a queue's vector is an event per moderation trigger, held
// until its ack and then dropped, so the IP sends one message per event
// (docs/HWQUEUE.md). The acks go to the card as they come.
//
// The IP has no way to be told that the card reset: a card reset drains
// the card's own BAR4 bursts (shell_dma_busy_i tied low, as on F1).
module hermes_xdma_user #(
  parameter int unsigned  NUM_ENGINES  = hermes_pkg::DEFAULT_ENGINES,
  parameter int unsigned  NUM_QUEUES   = hermes_pkg::DEFAULT_QUEUES,
  parameter logic [383:0] BUILD_ID     = '0,
  parameter int unsigned  AXI_ID_WIDTH = 4,   // the IP's ID width setting
  parameter int unsigned  AXI_DATA_W   = 512  // only 512: see the check below
) (
  input  logic                     axi_aclk,
  input  logic                     axi_aresetn,

  // M_AXI: the IP's DMA master into the card (BAR4)
  input  logic [AXI_ID_WIDTH-1:0]  m_axi_awid,
  input  logic [63:0]              m_axi_awaddr,
  input  logic [7:0]               m_axi_awlen,
  input  logic [2:0]               m_axi_awsize,
  input  logic [1:0]               m_axi_awburst,
  input  logic [2:0]               m_axi_awprot,
  input  logic                     m_axi_awlock,
  input  logic [3:0]               m_axi_awcache,
  input  logic                     m_axi_awvalid,
  output logic                     m_axi_awready,
  input  logic [AXI_DATA_W-1:0]    m_axi_wdata,
  input  logic [AXI_DATA_W/8-1:0]  m_axi_wstrb,
  input  logic                     m_axi_wlast,
  input  logic                     m_axi_wvalid,
  output logic                     m_axi_wready,
  output logic [AXI_ID_WIDTH-1:0]  m_axi_bid,
  output logic [1:0]               m_axi_bresp,
  output logic                     m_axi_bvalid,
  input  logic                     m_axi_bready,
  input  logic [AXI_ID_WIDTH-1:0]  m_axi_arid,
  input  logic [63:0]              m_axi_araddr,
  input  logic [7:0]               m_axi_arlen,
  input  logic [2:0]               m_axi_arsize,
  input  logic [1:0]               m_axi_arburst,
  input  logic [2:0]               m_axi_arprot,
  input  logic                     m_axi_arlock,
  input  logic [3:0]               m_axi_arcache,
  input  logic                     m_axi_arvalid,
  output logic                     m_axi_arready,
  output logic [AXI_ID_WIDTH-1:0]  m_axi_rid,
  output logic [AXI_DATA_W-1:0]    m_axi_rdata,
  output logic [1:0]               m_axi_rresp,
  output logic                     m_axi_rlast,
  output logic                     m_axi_rvalid,
  input  logic                     m_axi_rready,

  // M_AXI_LITE: the IP's PCIe to AXI-Lite master (the user BAR) into BAR0
  input  logic [31:0]              m_axil_awaddr,
  input  logic [2:0]               m_axil_awprot,
  input  logic                     m_axil_awvalid,
  output logic                     m_axil_awready,
  input  logic [31:0]              m_axil_wdata,
  input  logic [3:0]               m_axil_wstrb,
  input  logic                     m_axil_wvalid,
  output logic                     m_axil_wready,
  output logic                     m_axil_bvalid,
  output logic [1:0]               m_axil_bresp,
  input  logic                     m_axil_bready,
  input  logic [31:0]              m_axil_araddr,
  input  logic [2:0]               m_axil_arprot,
  input  logic                     m_axil_arvalid,
  output logic                     m_axil_arready,
  output logic [31:0]              m_axil_rdata,
  output logic [1:0]               m_axil_rresp,
  output logic                     m_axil_rvalid,
  input  logic                     m_axil_rready,

  // User interrupts: engine e is vector e, hardware queue q NUM_ENGINES + q
  output logic [NUM_ENGINES+NUM_QUEUES-1:0] usr_irq_req,
  input  logic [NUM_ENGINES+NUM_QUEUES-1:0] usr_irq_ack
);

  // Narrower XDMA configurations (64 to 256 bits) need an AXI data-width
  // converter in front of this module; the card's BAR4 port is 512 bits.
  if (AXI_DATA_W != 512) begin : g_width_check
    $error("hermes_xdma_user: AXI_DATA_W must be 512 (the card's BAR4 width); put a width converter in front");
  end

  // Host memory master: the XDMA IP in DMA mode has no slave port for it
  // (that is the bridge's S_AXI_B); the card leaves it idle, answered here.
  logic [3:0]   host_awid, host_arid;
  logic [63:0]  host_awaddr, host_araddr;
  logic [7:0]   host_awlen, host_arlen;
  logic [2:0]   host_awsize, host_arsize;
  logic [1:0]   host_awburst, host_arburst;
  logic         host_awvalid, host_arvalid, host_wvalid, host_wlast, host_bready, host_rready;
  logic [511:0] host_wdata;
  logic [63:0]  host_wstrb;

  // Outputs of the card no XDMA port takes.
  logic                      unused_dma_stop, unused_dma_hold, unused_dma_rst_n;
  logic [NUM_ENGINES-1:0]    unused_rvfi_valid;
  logic [NUM_ENGINES*32-1:0] unused_rvfi_pc;
  logic [NUM_ENGINES*64-1:0] unused_rvfi_insn, unused_rvfi_rd_value, unused_rvfi_mem_addr,
                             unused_rvfi_mem_value;
  logic [NUM_ENGINES*8-1:0]  unused_rvfi_rd;
  logic [NUM_ENGINES*2-1:0]  unused_rvfi_mem_kind;
  logic [NUM_ENGINES*4-1:0]  unused_rvfi_mem_size;

  // axi_aresetn comes from the IP synchronous to axi_aclk; one more flop
  // for fan-out, as on F1.
  logic rst_n_q;

  always_ff @(posedge axi_aclk) begin
    rst_n_q <= axi_aresetn;
  end

  hermes_card #(
    .NUM_ENGINES (NUM_ENGINES),
    .NUM_QUEUES  (NUM_QUEUES),
    .BUILD_ID    (BUILD_ID),
    .ID_W        (AXI_ID_WIDTH),
    .HOST_ID_W   (4)
  ) u_card (
    .clk_i            (axi_aclk),
    .rst_ni           (rst_n_q),
    .bar0_awaddr_i    (m_axil_awaddr),
    .bar0_awvalid_i   (m_axil_awvalid),
    .bar0_awready_o   (m_axil_awready),
    .bar0_wdata_i     (m_axil_wdata),
    .bar0_wstrb_i     (m_axil_wstrb),
    .bar0_wvalid_i    (m_axil_wvalid),
    .bar0_wready_o    (m_axil_wready),
    .bar0_bresp_o     (m_axil_bresp),
    .bar0_bvalid_o    (m_axil_bvalid),
    .bar0_bready_i    (m_axil_bready),
    .bar0_araddr_i    (m_axil_araddr),
    .bar0_arvalid_i   (m_axil_arvalid),
    .bar0_arready_o   (m_axil_arready),
    .bar0_rdata_o     (m_axil_rdata),
    .bar0_rresp_o     (m_axil_rresp),
    .bar0_rvalid_o    (m_axil_rvalid),
    .bar0_rready_i    (m_axil_rready),
    .bar4_awid_i      (m_axi_awid),
    .bar4_awaddr_i    (m_axi_awaddr),
    .bar4_awlen_i     (m_axi_awlen),
    .bar4_awsize_i    (m_axi_awsize),
    .bar4_awburst_i   (m_axi_awburst),
    .bar4_awvalid_i   (m_axi_awvalid),
    .bar4_awready_o   (m_axi_awready),
    .bar4_wdata_i     (m_axi_wdata),
    .bar4_wstrb_i     (m_axi_wstrb),
    .bar4_wlast_i     (m_axi_wlast),
    .bar4_wvalid_i    (m_axi_wvalid),
    .bar4_wready_o    (m_axi_wready),
    .bar4_bid_o       (m_axi_bid),
    .bar4_bresp_o     (m_axi_bresp),
    .bar4_bvalid_o    (m_axi_bvalid),
    .bar4_bready_i    (m_axi_bready),
    .bar4_arid_i      (m_axi_arid),
    .bar4_araddr_i    (m_axi_araddr),
    .bar4_arlen_i     (m_axi_arlen),
    .bar4_arsize_i    (m_axi_arsize),
    .bar4_arburst_i   (m_axi_arburst),
    .bar4_arvalid_i   (m_axi_arvalid),
    .bar4_arready_o   (m_axi_arready),
    .bar4_rid_o       (m_axi_rid),
    .bar4_rdata_o     (m_axi_rdata),
    .bar4_rresp_o     (m_axi_rresp),
    .bar4_rlast_o     (m_axi_rlast),
    .bar4_rvalid_o    (m_axi_rvalid),
    .bar4_rready_i    (m_axi_rready),
    .host_awid_o      (host_awid),
    .host_awaddr_o    (host_awaddr),
    .host_awlen_o     (host_awlen),
    .host_awsize_o    (host_awsize),
    .host_awburst_o   (host_awburst),
    .host_awvalid_o   (host_awvalid),
    .host_awready_i   (1'b0),
    .host_wdata_o     (host_wdata),
    .host_wstrb_o     (host_wstrb),
    .host_wlast_o     (host_wlast),
    .host_wvalid_o    (host_wvalid),
    .host_wready_i    (1'b0),
    .host_bid_i       ('0),
    .host_bresp_i     (2'b00),
    .host_bvalid_i    (1'b0),
    .host_bready_o    (host_bready),
    .host_arid_o      (host_arid),
    .host_araddr_o    (host_araddr),
    .host_arlen_o     (host_arlen),
    .host_arsize_o    (host_arsize),
    .host_arburst_o   (host_arburst),
    .host_arvalid_o   (host_arvalid),
    .host_arready_i   (1'b0),
    .host_rid_i       ('0),
    .host_rdata_i     ('0),
    .host_rresp_i     (2'b00),
    .host_rlast_i     (1'b0),
    .host_rvalid_i    (1'b0),
    .host_rready_o    (host_rready),
    .irq_req_o        (usr_irq_req[NUM_ENGINES-1:0]),
    .queue_irq_o      (usr_irq_req[NUM_ENGINES +: NUM_QUEUES]),
    .queue_irq_ack_i  (usr_irq_ack[NUM_ENGINES +: NUM_QUEUES]),
    .irq_ack_i        (usr_irq_ack[NUM_ENGINES-1:0]),
    .shell_dma_stop_o (unused_dma_stop),
    .shell_dma_hold_o (unused_dma_hold),
    .shell_dma_rst_no (unused_dma_rst_n),
    .shell_dma_busy_i (1'b0),
    .rvfi_valid_o     (unused_rvfi_valid),
    .rvfi_pc_o        (unused_rvfi_pc),
    .rvfi_insn_o      (unused_rvfi_insn),
    .rvfi_rd_o        (unused_rvfi_rd),
    .rvfi_rd_value_o  (unused_rvfi_rd_value),
    .rvfi_mem_kind_o  (unused_rvfi_mem_kind),
    .rvfi_mem_size_o  (unused_rvfi_mem_size),
    .rvfi_mem_addr_o  (unused_rvfi_mem_addr),
    .rvfi_mem_value_o (unused_rvfi_mem_value)
  );

`ifndef SYNTHESIS
  // The card never uses its host master; nothing may start there.
  always_ff @(posedge axi_aclk) begin
    if (rst_n_q) assert (!host_awvalid && !host_arvalid && !host_wvalid)
      else $error("hermes_xdma_user: the card started a host-memory access, which this board has no port for");
  end
`endif

  logic unused;
  assign unused = ^{m_axi_awprot, m_axi_awlock, m_axi_awcache, m_axi_arprot, m_axi_arlock, m_axi_arcache,
                    m_axil_awprot, m_axil_arprot, host_awid, host_arid, host_awaddr, host_araddr,
                    host_awlen, host_arlen, host_awsize, host_arsize, host_awburst, host_arburst,
                    host_wlast, host_bready, host_rready, host_wdata, host_wstrb,
                    unused_dma_stop, unused_dma_hold, unused_dma_rst_n, unused_rvfi_valid,
                    unused_rvfi_pc, unused_rvfi_insn, unused_rvfi_rd, unused_rvfi_rd_value,
                    unused_rvfi_mem_kind, unused_rvfi_mem_size, unused_rvfi_mem_addr,
                    unused_rvfi_mem_value};

endmodule
