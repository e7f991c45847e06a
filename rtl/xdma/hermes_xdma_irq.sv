// SPDX-License-Identifier: MIT
// XDMA IRQ block (BAR2 target 2): user and channel interrupt enable masks
// (with W1S/W1C aliases), request and pending registers, vector numbers.
// Pending = request & enable; the pending lines are the interrupt outputs.
// usr_ack_o is PG195's usr_irq_ack for MSI: one clock, once per rise of a
// user request, the clock after the request is first seen pending (enabled:
// the message went out). A masked request waits, held, until it is enabled.
// A request held on after its ack is not sent again until it falls and rises.
// Channel interrupt bits: H2C channels first, then C2H (probing order of
// the Xilinx driver).
module hermes_xdma_irq #(
  parameter int unsigned NUM_USR = 4,
  parameter int unsigned NUM_CH  = 2
) (
  input  logic               clk_i,
  input  logic               rst_ni,

  input  logic               req_i,
  input  logic               we_i,
  input  logic [7:0]         addr_i,
  input  logic [31:0]        wdata_i,
  output logic [31:0]        rdata_o,

  input  logic [NUM_USR-1:0] usr_req_i,
  input  logic [NUM_CH-1:0]  ch_req_i,
  output logic [NUM_USR-1:0] usr_pend_o,
  output logic [NUM_USR-1:0] usr_ack_o,
  output logic [NUM_CH-1:0]  ch_pend_o
);

  localparam logic [31:0] IrqId = {hermes_xdma_pkg::SUBSYS_ID, hermes_xdma_pkg::TGT_IRQ,
                                   8'h00, hermes_xdma_pkg::IP_VERSION};

  logic [NUM_USR-1:0] usr_en_q;
  logic [NUM_CH-1:0]  ch_en_q;
  logic [31:0]        usr_vec_q [4];
  logic [31:0]        ch_vec_q [2];
  logic               wr;

  assign wr = req_i && we_i;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      usr_en_q <= '0;
      ch_en_q  <= '0;
      for (int i = 0; i < 4; i++) usr_vec_q[i] <= '0;
      for (int i = 0; i < 2; i++) ch_vec_q[i] <= '0;
    end else if (wr) begin
      unique case (addr_i)
        hermes_xdma_pkg::IRQ_USR_EN:     usr_en_q <= wdata_i[NUM_USR-1:0];
        hermes_xdma_pkg::IRQ_USR_EN_W1S: usr_en_q <= usr_en_q | wdata_i[NUM_USR-1:0];
        hermes_xdma_pkg::IRQ_USR_EN_W1C: usr_en_q <= usr_en_q & ~wdata_i[NUM_USR-1:0];
        hermes_xdma_pkg::IRQ_CH_EN:      ch_en_q  <= wdata_i[NUM_CH-1:0];
        hermes_xdma_pkg::IRQ_CH_EN_W1S:  ch_en_q  <= ch_en_q | wdata_i[NUM_CH-1:0];
        hermes_xdma_pkg::IRQ_CH_EN_W1C:  ch_en_q  <= ch_en_q & ~wdata_i[NUM_CH-1:0];
        hermes_xdma_pkg::IRQ_USR_VEC0, 8'h84, 8'h88, 8'h8C: usr_vec_q[addr_i[3:2]] <= wdata_i & 32'h1F1F1F1F;
        hermes_xdma_pkg::IRQ_CH_VEC0, 8'hA4: ch_vec_q[addr_i[2]] <= wdata_i & 32'h1F1F1F1F;
        default: ;
      endcase
    end
  end

  // MSI: a request is sent (and acknowledged) once per rise.
  logic [NUM_USR-1:0] usr_sent_q, usr_ack_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      usr_sent_q <= '0;
      usr_ack_q  <= '0;
    end else begin
      usr_ack_q  <= usr_req_i & usr_en_q & ~usr_sent_q & ~usr_ack_q;
      usr_sent_q <= (usr_sent_q | usr_ack_q) & usr_req_i;
    end
  end
  assign usr_ack_o = usr_ack_q;

  assign usr_pend_o = usr_req_i & usr_en_q;
  assign ch_pend_o  = ch_req_i & ch_en_q;

  always_comb begin
    unique case (addr_i)
      8'h00: rdata_o = IrqId;
      hermes_xdma_pkg::IRQ_USR_EN, hermes_xdma_pkg::IRQ_USR_EN_W1S,
      hermes_xdma_pkg::IRQ_USR_EN_W1C: rdata_o = 32'(usr_en_q);
      hermes_xdma_pkg::IRQ_CH_EN, hermes_xdma_pkg::IRQ_CH_EN_W1S,
      hermes_xdma_pkg::IRQ_CH_EN_W1C:  rdata_o = 32'(ch_en_q);
      hermes_xdma_pkg::IRQ_USR_REQ:    rdata_o = 32'(usr_req_i);
      hermes_xdma_pkg::IRQ_CH_REQ:     rdata_o = 32'(ch_req_i);
      hermes_xdma_pkg::IRQ_USR_PEND:   rdata_o = 32'(usr_pend_o);
      hermes_xdma_pkg::IRQ_CH_PEND:    rdata_o = 32'(ch_pend_o);
      8'h80, 8'h84, 8'h88, 8'h8C:      rdata_o = usr_vec_q[addr_i[3:2]];
      8'hA0, 8'hA4:                    rdata_o = ch_vec_q[addr_i[2]];
      default:                         rdata_o = '0;
    endcase
  end

endmodule
