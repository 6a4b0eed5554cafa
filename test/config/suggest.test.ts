import { expect } from 'chai';
import { closest, editDistance } from '../../src/config/suggest';

describe('suggestions', () => {
  describe('editDistance', () => {
    it('counts insertions, deletions, substitutions and swaps of neighbours', () => {
      expect(editDistance('Stage', 'Stage')).to.equal(0);
      expect(editDistance('Stag', 'Stage')).to.equal(1);
      expect(editDistance('Stagex', 'Stage')).to.equal(1);
      expect(editDistance('Stafe', 'Stage')).to.equal(1);
      expect(editDistance('Satge', 'Stage')).to.equal(1);
      expect(editDistance('', 'abc')).to.equal(3);
    });
  });

  describe('closest', () => {
    const known = ['DNSDomainName', 'BaseDNSName', 'HostedZoneID', 'RedshiftPassword', 'RedshiftUsername', 'Stage'];

    it('finds a misspelled name', () => {
      expect(closest('BaseDNSNmae', known)).to.equal('BaseDNSName');
      expect(closest('HostedZoneId', known)).to.equal('HostedZoneID');
    });

    it('ignores case', () => {
      expect(closest('dnsdomainname', known)).to.equal('DNSDomainName');
    });

    it('finds a name cut short and misspelled', () => {
      expect(closest('DNSDomian', known)).to.equal('DNSDomainName');
      expect(closest('RedshiftPass', known)).to.equal('RedshiftPassword');
    });

    it('suggests nothing for an unrelated name', () => {
      expect(closest('Tags', known)).to.equal(undefined);
      expect(closest('Completely', known)).to.equal(undefined);
    });
  });
});
