// SPDX-License-Identifier: MIT
// Maps (docs/MAPS.md): the BAR0 map registers and the card-wide map lock.
//
//   EHMSOFF  RO  BAR4 offset of map slot 0
//   EHMSSZE  RO  map slot size in bytes
//   EHMLOCK  RW  bit 0: write 1 to request the host map lock, 0 to release
//                it; reads 1 while the host holds it
//
// One owner at a time among the engines (a helper 1, 2 or 3 holds the lock
// from its descriptor read to its last write) and the host (EHMLOCK). An
// owner keeps the lock while it requests it; a free lock goes round robin
// to the requesters in the clock it is freed, so a waiting engine is
// granted the clock after the owner lets go. A card reset (rst_ni is the
// core reset) releases the host's request.
module hermes_map_lock #(
  parameter int unsigned NUM_ENGINES  = hermes_pkg::DEFAULT_ENGINES,
  parameter int unsigned MAP_OFF      = 0,
  parameter int unsigned MAP_BYTES    = hermes_pkg::DEFAULT_MAP_SLOT_SIZE
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,

  // BAR0 register port (as hermes_hwq_regs).
  input  logic                   reg_req_i,
  input  logic                   reg_we_i,
  input  logic [15:0]            reg_addr_i,
  input  logic [31:0]            reg_wdata_i,
  input  logic [3:0]             reg_wstrb_i,
  output logic                   hit_o,
  output logic [31:0]            rdata_o,
  output logic                   err_o,

  // Engines: request held for the whole critical section, granted level.
  input  logic [NUM_ENGINES-1:0] eng_req_i,
  output logic [NUM_ENGINES-1:0] eng_gnt_o
);

  localparam int unsigned N    = NUM_ENGINES + 1;  // requester NUM_ENGINES: the host
  localparam int unsigned IdxW = $clog2(N);

  logic            host_req_q;
  logic [N-1:0]    req, pick;
  logic [IdxW-1:0] pick_idx, owner_q, owner_d;
  logic            owner_valid_q, owner_valid_d, held, pick_valid;

  assign req  = {host_req_q, eng_req_i};
  assign held = owner_valid_q && req[owner_q];

  hermes_xdma_rr_arb #(.N(N)) u_arb (
    .clk_i,
    .rst_ni,
    .req_i   (held ? '0 : req),
    .ack_i   (1'b1),
    .gnt_o   (pick),
    .idx_o   (pick_idx),
    .valid_o (pick_valid)
  );

  always_comb begin
    owner_valid_d = held || pick_valid;
    owner_d       = held ? owner_q : pick_idx;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      owner_valid_q <= 1'b0;
      owner_q       <= '0;
      host_req_q    <= 1'b0;
    end else begin
      owner_valid_q <= owner_valid_d;
      owner_q       <= owner_d;
      if (reg_req_i && reg_we_i && reg_addr_i == 16'(hermes_pkg::EHMLOCK) && reg_wstrb_i[0])
        host_req_q <= reg_wdata_i[0];
    end
  end

  for (genvar e = 0; e < NUM_ENGINES; e++) begin : g_gnt
    assign eng_gnt_o[e] = owner_valid_q && owner_q == IdxW'(e);
  end

  always_comb begin
    hit_o   = 1'b1;
    rdata_o = '0;
    unique case (32'(reg_addr_i))
      hermes_pkg::EHMSOFF: rdata_o = MAP_OFF;
      hermes_pkg::EHMSSZE: rdata_o = MAP_BYTES;
      hermes_pkg::EHMLOCK: rdata_o = {31'b0, owner_valid_q && owner_q == IdxW'(NUM_ENGINES)};
      default:             hit_o   = 1'b0;
    endcase
  end
  // The geometry words are read-only.
  assign err_o = reg_we_i && reg_addr_i != 16'(hermes_pkg::EHMLOCK);

  logic unused;
  assign unused = ^{pick, reg_wdata_i[31:1], reg_wstrb_i[3:1]};

`ifndef SYNTHESIS
  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      assert ($onehot0(eng_gnt_o)) else $error("hermes_map_lock: two engines hold the lock");
      assert (!(host_req_q && owner_valid_q && owner_q == IdxW'(NUM_ENGINES) && eng_gnt_o != '0))
        else $error("hermes_map_lock: host and an engine hold the lock");
    end
  end
`endif

endmodule
